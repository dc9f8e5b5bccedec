/**
 * The console's one script, served as /console/assets/console.js (a module here so the build
 * carries it; no inline script anywhere, see the Content-Security-Policy). Progressive
 * enhancement only: every page works without it. A region marked `data-poll-url` is refreshed
 * from that JSON endpoint every two seconds until the answer says `finished`:
 *   { finished, fields: { name: text }, timeline?: [{ label, time, detail }] }
 * Each field's text goes into the region's `[data-field="name"]` elements, the timeline replaces
 * the items of its `[data-timeline]` list. Text only (textContent): nothing is parsed as HTML.
 */
export const consoleScript = `'use strict';
(function () {
  function applyFields(region, fields) {
    Object.keys(fields).forEach(function (name) {
      region.querySelectorAll('[data-field]').forEach(function (element) {
        if (element.getAttribute('data-field') === name) {
          element.textContent = String(fields[name]);
        }
      });
    });
  }
  function applyTimeline(region, timeline) {
    var list = region.querySelector('[data-timeline]');
    if (!list || !Array.isArray(timeline)) {
      return;
    }
    var items = timeline.map(function (entry) {
      var item = document.createElement('li');
      var label = document.createElement('strong');
      label.textContent = String(entry.label);
      var time = document.createElement('time');
      time.textContent = String(entry.time);
      item.appendChild(label);
      item.appendChild(time);
      if (entry.detail) {
        var detail = document.createElement('span');
        detail.textContent = String(entry.detail);
        item.appendChild(detail);
      }
      return item;
    });
    list.replaceChildren.apply(list, items);
  }
  function poll(region) {
    var url = region.getAttribute('data-poll-url');
    var status = region.querySelector('[data-poll-status]');
    var stopped = false;
    function tick() {
      if (stopped) {
        return;
      }
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error('HTTP ' + response.status);
          }
          return response.json();
        })
        .then(function (answer) {
          applyFields(region, answer.fields || {});
          applyTimeline(region, answer.timeline);
          if (status) {
            status.textContent = answer.finished
              ? 'Finished.'
              : 'Updated ' + new Date().toLocaleTimeString() + '.';
          }
          if (answer.finished) {
            stopped = true;
          } else {
            setTimeout(tick, 2000);
          }
        })
        .catch(function () {
          if (status) {
            status.textContent = 'Live updates paused (the gateway did not answer); retrying.';
          }
          setTimeout(tick, 5000);
        });
    }
    setTimeout(tick, 2000);
  }
  document.querySelectorAll('[data-poll-url]').forEach(poll);
})();
`;
