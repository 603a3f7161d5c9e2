// The HTML timeline's script (HtmlTimeline inlines it): draws each group's lanes as SVG from the
// embedded data (its format is in HtmlTimeline's Javadoc), for the time range in view, and redraws
// on zoom and pan. Spans narrower than a pixel merge, so a lane has at most a few rects per pixel.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('data').textContent);
  var str = data.str;
  var KINDS = ['run', 'wait', 'ready', 'work', 'mark'];
  var MARK = 4;
  var LABEL = 190, AXIS = 22, LANE = 18, PITCH = 24;
  var REASONS = {
    sleep: '#805ad5', read: '#00a3c4', write: '#0e7490', connect: '#0891b2', accept: '#155e75',
    lock: '#dd6b20', semaphore: '#b7791f', condition: '#975a16', event: '#d53f8c', barrier: '#97266d',
    queue: '#319795', channel: '#4c51bf', future: '#4a5568', pool: '#68d391', task: '#718096',
    'task group': '#a0aec0', toThread: '#9c4221', yield: '#d69e2e', other: '#a0aec0'
  };
  var EXTRA = ['#d53f8c', '#319795', '#744210', '#2c5282', '#9c4221'];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
  function ms(us, digits) { return (us / 1000).toFixed(digits) + ' ms'; }

  // Rows sorted by start; the longest span bounds the search for the first row in view.
  var reasons = [];
  data.groups.forEach(function (g) {
    g.lanes.forEach(function (lane) {
      lane.s.sort(function (a, b) { return a[1] - b[1]; });
      lane.maxDur = 0;
      lane.s.forEach(function (r) {
        lane.maxDur = Math.max(lane.maxDur, r[2]);
        var reason = str[r[3] || 0];
        if (r[0] === 1 && reasons.indexOf(reason) < 0) reasons.push(reason);
      });
    });
  });
  reasons.sort();
  var hatch = {};
  reasons.forEach(function (reason, i) {
    hatch[reason] = {id: 'h' + i, color: REASONS[reason] || EXTRA[i % EXTRA.length]};
  });

  // Patterns: one hatch per wait reason, amber dots for ready; in a zero-size SVG all others use.
  var defs = '<pattern id="p-ready" width="4" height="4" patternUnits="userSpaceOnUse">' +
      '<rect width="4" height="4" fill="#fefcbf"/><circle cx="2" cy="2" r="1.1" fill="#d69e2e"/></pattern>';
  reasons.forEach(function (reason) {
    var h = hatch[reason];
    defs += '<pattern id="' + h.id + '" width="5" height="5" patternUnits="userSpaceOnUse" ' +
        'patternTransform="rotate(45)"><rect width="5" height="5" fill="' + h.color + '" fill-opacity=".22"/>' +
        '<line x1="0" y1="0" x2="0" y2="5" stroke="' + h.color + '" stroke-width="2"/></pattern>';
  });
  var holder = document.createElement('div');
  holder.innerHTML = '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>' + defs +
      '</defs></svg>';
  document.body.appendChild(holder.firstChild);

  function fill(kind, label) {
    if (kind === 1) return ' fill="url(#' + (hatch[label] || hatch.other || {id: 'p-ready'}).id + ')"';
    return '';
  }

  // The legend.
  function swatch(cls, extra, geometry) {
    return '<svg width="26" height="12"><rect class="' + cls + '" ' + (geometry || 'width="26" height="12"') +
        (extra || '') + '/></svg>';
  }
  var legend = '<span>' + swatch('slice run') + 'running</span>' +
      '<span>' + swatch('slice ready') + 'ready, waiting for the turn</span>' +
      '<span>' + swatch('slice work') + 'pool job</span>' +
      '<span>' + swatch('slice work failed', '', 'x="1" y="1" width="24" height="10"') + 'failed job</span>' +
      '<span>' + swatch('slice mark', '', 'x="11" width="4" height="12"') + 'stall, deadlock&hellip;</span>' +
      '<span><svg width="26" height="12"><line class="wake" x1="13" x2="13" y1="0" y2="10"/>' +
      '<circle class="wake" cx="13" cy="10" r="2"/></svg>woke another task</span>';
  reasons.forEach(function (reason) {
    legend += '<span>' + swatch('slice wait', fill(1, reason)) + 'waiting: ' + esc(reason) + '</span>';
  });
  document.getElementById('legend').innerHTML = legend;

  // The groups' sections; their SVGs are filled by draw().
  var main = document.getElementById('groups');
  var t0 = data.t0, t1 = Math.max(data.t1, data.t0 + 1);
  var view = {from: t0, to: t1};
  var sections = data.groups.map(function (g) {
    var section = document.createElement('section');
    section.className = 'group';
    section.innerHTML = '<h2>' + esc(g.name) + '</h2><svg></svg>' + (g.hidden > 0
        ? '<p class="more">' + g.hidden + ' more lane' + (g.hidden === 1 ? '' : 's') +
          ' not shown (the busiest ' + g.lanes.length + ' are)</p>' : '');
    main.appendChild(section);
    return {group: g, svg: section.querySelector('svg')};
  });
  if (data.groups.length === 0) main.innerHTML = '<p>Nothing was recorded.</p>';

  var tips = [];
  function width() { return Math.max(400, main.clientWidth); }

  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  }

  function drawAxis(plot, height) {
    var scale = plot / (view.to - view.from);
    var step = niceStep((view.to - view.from) / Math.max(2, plot / 110));
    var digits = Math.max(0, Math.ceil(-Math.log10(step / 1000)));
    var out = '';
    for (var t = Math.ceil(view.from / step) * step; t <= view.to; t += step) {
      var x = (LABEL + (t - view.from) * scale).toFixed(1);
      out += '<line class="tick" x1="' + x + '" x2="' + x + '" y1="' + (AXIS - 4) + '" y2="' + height + '"/>' +
          '<text class="tick-label" x="' + x + '" y="' + (AXIS - 8) + '" text-anchor="middle">' +
          ms(t, digits) + '</text>';
    }
    return out;
  }

  function tip(info) {
    tips.push(info);
    return ' data-tip="' + (tips.length - 1) + '"';
  }

  function rect(cls, x0, x1, extra) {
    return '<rect class="slice ' + cls + '" x="' + x0.toFixed(1) + '" y="0" width="' +
        Math.max(1, x1 - x0).toFixed(1) + '" height="' + LANE + '"' + extra + '/>';
  }

  function drawLane(lane, plot, groupName) {
    var rows = lane.s, scale = plot / (view.to - view.from), left = LABEL, right = LABEL + plot;
    function X(t) { return Math.min(right, Math.max(left, left + (t - view.from) * scale)); }
    var lo = 0, hi = rows.length, from = view.from - lane.maxDur;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (rows[mid][1] < from) lo = mid + 1; else hi = mid;
    }
    var out = '', marks = '', lastMark = -1, pending = null;
    function flush() {
      if (!pending) return;
      var best = 0;
      for (var k = 1; k < 4; k++) if (pending.time[k] > pending.time[best]) best = k;
      var r = pending.count === 1 ? pending.row : null;
      out += r ? span(r, pending.x0, Math.max(pending.x1, pending.x0 + 1))
          : rect(KINDS[best] + ' merged', pending.x0, pending.x1, fill(best, pending.label[best]) +
              tip({track: lane.name, group: groupName, kind: best, start: pending.start, dur: pending.end -
                  pending.start, label: '', detail: '', merged: pending.merged}));
      pending = null;
    }
    function span(r, x0, x1) {
      var label = str[r[3] || 0], detail = str[r[4] || 0];
      var cls = KINDS[r[0]] + (r[0] === 3 && detail ? ' failed' : '') + (r[5] ? ' merged' : '');
      return rect(cls, x0, x1, fill(r[0], label) + tip({track: lane.name, group: groupName, kind: r[0],
          start: r[1], dur: r[2], label: label, detail: detail, merged: r[5] || 0}));
    }
    for (var i = lo; i < rows.length && rows[i][1] <= view.to; i++) {
      var r = rows[i], end = r[1] + r[2];
      if (end < view.from) continue;
      var x0 = X(r[1]), x1 = X(end);
      if (r[0] === MARK) {
        if (x0 - lastMark >= 4) {
          marks += rect('mark', x0 - 2, x0 + 2, tip({track: lane.name, group: groupName, kind: MARK,
              start: r[1], dur: 0, label: str[r[3] || 0], detail: str[r[4] || 0], merged: 0}));
          lastMark = x0;
        }
        continue;
      }
      if (x1 - x0 >= 1) {
        flush();
        out += span(r, x0, x1);
        continue;
      }
      if (pending && x1 - pending.x0 > 1.5) flush();
      if (!pending) {
        pending = {x0: x0, x1: x1, start: r[1], end: end, count: 0, merged: 0, row: r, time: [0, 0, 0, 0],
                   label: ['', '', '', '']};
      }
      pending.x1 = Math.max(pending.x1, x1);
      pending.end = Math.max(pending.end, end);
      pending.count++;
      pending.merged += r[5] || 1;
      if (r[2] >= pending.time[r[0]]) pending.label[r[0]] = str[r[3] || 0];
      pending.time[r[0]] += r[2];
    }
    flush();
    return out + marks;
  }

  function drawWakes(g, plot) {
    var scale = plot / (view.to - view.from), out = '';
    g.lanes.forEach(function (lane, from) {
      var lastX = -1;
      lane.w.forEach(function (w) {
        if (w[0] < view.from || w[0] > view.to) return;
        var x = LABEL + (w[0] - view.from) * scale;
        if (x - lastX < 2) return;
        lastX = x;
        var y0 = AXIS + from * PITCH + LANE / 2, y1 = AXIS + w[1] * PITCH + LANE / 2;
        out += '<line class="wake" x1="' + x.toFixed(1) + '" x2="' + x.toFixed(1) + '" y1="' + y0 + '" y2="' + y1 +
            '"/><circle class="wake" cx="' + x.toFixed(1) + '" cy="' + y1 + '" r="2"/>';
      });
    });
    return out;
  }

  function draw() {
    tips = [];
    var total = width(), plot = total - LABEL - 8;
    sections.forEach(function (s) {
      var g = s.group, height = AXIS + g.lanes.length * PITCH;
      var out = drawAxis(plot, height);
      g.lanes.forEach(function (lane, i) {
        var name = lane.name.length > 28 ? lane.name.slice(0, 27) + '\u2026' : lane.name;
        out += '<g class="lane" data-track="' + esc(lane.name) + '" transform="translate(0,' + (AXIS + i * PITCH) +
            ')"><rect class="lane-bg" x="' + LABEL + '" width="' + plot + '" height="' + LANE + '"/>' +
            '<text x="' + (LABEL - 6) + '" y="13" text-anchor="end">' + esc(name) + '<title>' + esc(lane.name) +
            '</title></text>' + drawLane(lane, plot, g.name) + '</g>';
      });
      out += drawWakes(g, plot);
      s.svg.setAttribute('viewBox', '0 0 ' + total + ' ' + height);
      s.svg.setAttribute('height', height);
      s.svg.innerHTML = out;
    });
    document.getElementById('view').textContent = 'showing ' + ms(view.from, 3) + ' to ' + ms(view.to, 3) +
        ' (' + ms(view.to - view.from, 3) + ')';
  }

  var scheduled = false;
  function redraw() {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(function () { scheduled = false; draw(); });
    }
  }

  // Zoom and pan keep the view inside the recording, at least a microsecond wide.
  function setView(from, to) {
    var span = Math.min(t1 - t0, Math.max(1, to - from));
    from = Math.min(Math.max(t0, from), t1 - span);
    view = {from: from, to: from + span};
    redraw();
  }
  function zoom(factor, at) {
    var pivot = at === undefined ? (view.from + view.to) / 2 : at;
    setView(pivot - (pivot - view.from) / factor, pivot + (view.to - pivot) / factor);
  }
  function timeAt(clientX, svg) {
    var box = svg.getBoundingClientRect(), plot = box.width - LABEL - 8;
    var x = Math.min(plot, Math.max(0, clientX - box.left - LABEL));
    return view.from + x / plot * (view.to - view.from);
  }
  document.getElementById('zoom-in').onclick = function () { zoom(2); };
  document.getElementById('zoom-out').onclick = function () { zoom(0.5); };
  document.getElementById('reset').onclick = function () { setView(t0, t1); };
  document.addEventListener('keydown', function (e) {
    if (e.key === '+' || e.key === '=') zoom(2);
    else if (e.key === '-') zoom(0.5);
    else if (e.key === '0') setView(t0, t1);
  });
  main.addEventListener('wheel', function (e) {
    var svg = e.target.closest && e.target.closest('svg');
    if (!svg) return;
    e.preventDefault();
    var perPixel = (view.to - view.from) / (svg.getBoundingClientRect().width - LABEL - 8);
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      var d = (e.deltaX || e.deltaY) * perPixel;
      setView(view.from + d, view.to + d);
    } else {
      zoom(Math.exp(-e.deltaY * 0.002), timeAt(e.clientX, svg));
    }
  }, {passive: false});
  var drag = null;
  main.addEventListener('mousedown', function (e) {
    var svg = e.target.closest && e.target.closest('svg');
    if (!svg || e.button !== 0) return;
    drag = {x: e.clientX, from: view.from, to: view.to, svg: svg,
            perPixel: (view.to - view.from) / (svg.getBoundingClientRect().width - LABEL - 8)};
    svg.classList.add('dragging');
    e.preventDefault();
  });
  window.addEventListener('mousemove', function (e) {
    if (drag) {
      var d = (drag.x - e.clientX) * drag.perPixel;
      setView(drag.from + d, drag.to + d);
    }
    showTip(e);
  });
  window.addEventListener('mouseup', function () {
    if (drag) drag.svg.classList.remove('dragging');
    drag = null;
  });
  window.addEventListener('resize', redraw);

  var tipBox = document.getElementById('tip');
  function showTip(e) {
    var n = e.target.getAttribute && e.target.getAttribute('data-tip');
    if (n === null || n === undefined || drag) {
      tipBox.hidden = true;
      return;
    }
    var t = tips[+n];
    var what = KINDS[t.kind] === 'mark' ? t.label : KINDS[t.kind] +
        (t.kind === 1 && t.label ? ': ' + t.label : t.kind === 3 ? ': ' + (t.label || 'job') : '');
    var lines = [what, 'at ' + ms(t.start, 3) + (t.kind === MARK ? '' : ', for ' + ms(t.dur, 3))];
    if (t.merged) lines.push(t.merged + ' slices narrower than a pixel, merged; mostly ' + KINDS[t.kind]);
    if (t.detail) lines.push((t.kind === 3 ? 'failed: ' : '') + t.detail);
    tipBox.innerHTML = '<b>' + esc(t.track) + ' \u00b7 ' + esc(t.group) + '</b>' + esc(lines.join('\n'));
    tipBox.hidden = false;
    var x = Math.min(e.clientX + 14, window.innerWidth - tipBox.offsetWidth - 4);
    var y = e.clientY + 16 + tipBox.offsetHeight > window.innerHeight ? e.clientY - tipBox.offsetHeight - 8
        : e.clientY + 16;
    tipBox.style.left = Math.max(0, x) + 'px';
    tipBox.style.top = Math.max(0, y) + 'px';
  }

  draw();
})();
