/* Metrics page: counters, resumption ratio, and two SVG line charts of the last hour's rates. */
'use strict';
(function () {
  var R = Reprise;
  var SVG = 'http://www.w3.org/2000/svg';
  var COLORS = ['#2f6fd6', '#2e9d57', '#d1495b', '#edae49', '#8e5cc4', '#00798c', '#6b4f2c'];
  var LABELS = [['handshakesFull', 'Full handshakes'], ['handshakesResumed', 'Resumed handshakes'],
    ['resumptionsRequested', 'Resumptions requested'], ['hits', 'Hits'], ['misses', 'Misses'],
    ['storeErrors', 'Store errors'], ['keyRotations', 'Key rotations'], ['ticketsIssued', 'Tickets issued'],
    ['sessionsStored', 'Sessions stored'], ['storeWritesDropped', 'Store writes dropped'], ['sweeps', 'Sweeps'],
    ['sessionsSwept', 'Sessions swept'], ['ticketKeysUnreadable', 'Ticket keys this node cannot open'],
    ['sessionsUnreadable', 'Sessions this node cannot open'],
    ['sessionsRefused', 'Sessions refused: store full']];

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) {
      e.textContent = String(text);
    }
    return e;
  }

  /* series: [{name, points: [[time, value]]}] drawn over the hour ending now. */
  function chart(container, series, unit) {
    var W = 900, H = 260, L = 50, B = 24, T = 10, Rt = 160;
    var end = Date.now(), start = end - 3600 * 1000;
    var max = 0;
    series.forEach(function (s) { s.points.forEach(function (p) { max = Math.max(max, p[1]); }); });
    max = max <= 0 ? 1 : niceCeil(max);
    var x = function (t) { return L + (W - L - Rt) * (t - start) / (end - start); };
    var y = function (v) { return T + (H - T - B) * (1 - v / max); };
    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': unit });
    for (var i = 0; i <= 4; i++) {
      var v = max * i / 4;
      root.appendChild(svg('line', { x1: L, x2: W - Rt, y1: y(v), y2: y(v), stroke: '#e1e4ea' }));
      root.appendChild(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
    }
    for (var m = 0; m <= 60; m += 10) {
      var t = start + m * 60000;
      root.appendChild(svg('text', { x: x(t), y: H - 6, 'text-anchor': 'middle' }, m === 60 ? 'now' : '-' + (60 - m) + ' min'));
    }
    root.appendChild(svg('line', { x1: L, x2: L, y1: T, y2: H - B, stroke: '#5b6476' }));
    root.appendChild(svg('line', { x1: L, x2: W - Rt, y1: H - B, y2: H - B, stroke: '#5b6476' }));
    series.forEach(function (s, k) {
      var color = COLORS[k % COLORS.length];
      var pts = s.points.filter(function (p) { return p[0] >= start; })
        .map(function (p) { return x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1); });
      if (pts.length === 1) {
        pts.push(pts[0]);
      }
      root.appendChild(svg('polyline', { points: pts.join(' '), fill: 'none', stroke: color, 'stroke-width': 2,
        'class': 'series', 'data-series': s.name }));
      root.appendChild(svg('rect', { x: W - Rt + 12, y: T + k * 18, width: 12, height: 12, fill: color }));
      root.appendChild(svg('text', { x: W - Rt + 30, y: T + k * 18 + 10 }, s.name));
    });
    if (series.every(function (s) { return s.points.length === 0; })) {
      root.appendChild(svg('text', { x: (W - Rt) / 2, y: H / 2, 'text-anchor': 'middle' },
        'No samples yet: the server samples every few seconds.'));
    }
    container.textContent = '';
    container.appendChild(root);
  }

  function niceCeil(v) {
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var n = v / p;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
  }

  function fmt(v) {
    return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2);
  }

  async function load() {
    try {
      var m = await R.call('GET', 'metrics');
      document.getElementById('ratio').textContent = (m.resumptionRatio * 100).toFixed(1) + ' %';
      var dl = document.getElementById('counters');
      dl.textContent = '';
      LABELS.forEach(function (l) {
        dl.appendChild(R.el('dt', null, l[1]));
        dl.appendChild(R.el('dd', { id: 'counter-' + l[0] }, m[l[0]]));
      });
      Object.keys(m.missesByReason || {}).sort().forEach(function (reason) {
        dl.appendChild(R.el('dt', null, 'Misses: ' + reason));
        dl.appendChild(R.el('dd', null, m.missesByReason[reason]));
      });
      var h = await R.call('GET', 'metrics/history');
      var samples = h.samples || [];
      chart(document.getElementById('chart-handshakes'), [
        { name: 'full /s', points: samples.map(function (s) { return [s.time, s.full]; }) },
        { name: 'resumed /s', points: samples.map(function (s) { return [s.time, s.resumed]; }) }
      ], 'Handshakes per second');
      var reasons = {};
      samples.forEach(function (s) { Object.keys(s.misses || {}).forEach(function (r) { reasons[r] = true; }); });
      chart(document.getElementById('chart-misses'), Object.keys(reasons).sort().map(function (r) {
        return { name: r + ' /s', points: samples.map(function (s) { return [s.time, (s.misses || {})[r] || 0]; }) };
      }), 'Missed resumptions per second by reason');
    } catch (e) {
      R.status(e.message, true);
    }
  }

  R.init().then(load);
  setInterval(load, 10000);
})();
