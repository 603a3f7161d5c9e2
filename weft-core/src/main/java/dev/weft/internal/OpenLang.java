package dev.weft.internal;

/** What opens {@code java.lang} to Weft, so that its loops get carriers of their own (decision 0030). */
public final class OpenLang {
    private OpenLang() {}

    /**
     * The value of {@code --add-opens}: {@code java.base/java.lang=ALL-UNNAMED} on the class path,
     * {@code java.base/java.lang=dev.weft} when Weft is loaded as a module.
     */
    public static final String VALUE = "java.base/java.lang="
            + (OpenLang.class.getModule().isNamed() ? OpenLang.class.getModule().getName() : "ALL-UNNAMED");
}
