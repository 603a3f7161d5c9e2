package dev.weft;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, pinned: which package of the core library may use which.
 *
 * <pre>
 * dev.weft.internal   leaf utilities: the JDK only
 * dev.weft.trace      the recorder and what reads it (files, advisor): may use internal
 * dev.weft            API and engine (package-private): may use trace and internal
 * dev.weft.pool       may use dev.weft's public API, trace and internal
 * </pre>
 *
 * (That other packages use only dev.weft's public types, and never the engine, the compiler already
 * ensures: the engine is package-private.)
 */
class LayeringTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.weft");

    @Test
    void eachPackageUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("internal").definedBy("dev.weft.internal")
                .layer("core").definedBy("dev.weft")
                .layer("pool").definedBy("dev.weft.pool")
                .layer("trace").definedBy("dev.weft.trace")
                .whereLayer("pool").mayNotBeAccessedByAnyLayer()
                .whereLayer("trace").mayOnlyBeAccessedByLayers("core", "pool")
                .whereLayer("core").mayOnlyBeAccessedByLayers("pool")
                .whereLayer("internal").mayOnlyBeAccessedByLayers("core", "pool", "trace")
                .check(CORE);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.weft.(**)").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void theCoreLibraryDependsOnTheJdkOnly() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.weft..", "java..", "javax..", "jdk..", "com.sun.net.httpserver..")
                .check(CORE);
    }
}
