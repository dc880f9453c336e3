// Draws country outlines (vendored world-atlas) behind the candidate dots of the review map.
// Same equirectangular frame as the server-side dots: x = (lng + 180) * 2, y = (90 - lat) * 2.
(function () {
  const svg = document.querySelector("svg.candidate-map");
  if (!svg || !window.d3 || !window.topojson) return;
  fetch(svg.dataset.atlas, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (world) {
      const projection = d3.geoEquirectangular().scale(720 / (2 * Math.PI)).translate([360, 180]);
      const path = d3.geoPath(projection);
      const land = topojson.feature(world, world.objects.countries);
      const group = document.createElementNS("http://www.w3.org/2000/svg", "g");
      group.setAttribute("class", "countries");
      for (const feature of land.features) {
        const el = document.createElementNS("http://www.w3.org/2000/svg", "path");
        el.setAttribute("d", path(feature) || "");
        el.setAttribute("fill", "#d9e2ea");
        el.setAttribute("stroke", "#fff");
        el.setAttribute("stroke-width", "0.5");
        group.appendChild(el);
      }
      svg.insertBefore(group, svg.firstChild);
    });
})();
