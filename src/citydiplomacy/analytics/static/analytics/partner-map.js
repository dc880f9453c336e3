/* Map of an organisation's partners: d3-geo + world-atlas, great-circle arcs, "as of" slider.
   Data comes from the json_script #map-data; every text from data is set with textContent. */
(function () {
  "use strict";
  var STATE_COLOURS = {active: "#1b7f3b", signed: "#2f6fb5", suspended: "#d18a00",
                       expired: "#777777", terminated: "#c0392b"};
  var INSTRUMENT_COLOURS = {twinning: "#000000", cooperation_protocol: "#7d3c98",
    memorandum_of_understanding: "#16a085", letter_of_goodwill: "#a04000", membership: "#2c3e50", other: "#999999"};
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var script = document.getElementById("partner-map-script");
  var svg = d3.select("#partner-map");
  var width = 960, height = 500;
  svg.attr("viewBox", "0 0 " + width + " " + height);
  var projection = d3.geoNaturalEarth1().fitSize([width, height], {type: "Sphere"});
  var path = d3.geoPath(projection);
  var tooltip = document.getElementById("map-tooltip");
  var label = document.getElementById("as-of-label");
  var slider = document.getElementById("as-of-year");
  var dateInput = document.getElementById("as-of");

  function stateOn(tie, day) {
    var current = null;
    tie.timeline.forEach(function (point) { if (point[0] <= day) { current = point[1]; } });
    return current;
  }

  var base = svg.append("g");
  base.append("path").datum({type: "Sphere"}).attr("d", path).attr("class", "sphere");
  var arcs = svg.append("g").attr("class", "arcs");
  var points = svg.append("g").attr("class", "points");

  function legend() {
    var box = document.getElementById("map-legend");
    Object.keys(STATE_COLOURS).forEach(function (state) {
      var item = document.createElement("span");
      item.className = "legend-item";
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = STATE_COLOURS[state];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(data.states[state] || state));
      box.appendChild(item);
    });
  }

  function draw(day) {
    var origin = data.organisation.lng === null ? null : [data.organisation.lng, data.organisation.lat];
    var visible = data.ties.map(function (tie) { return {tie: tie, state: stateOn(tie, day)}; })
      .filter(function (row) { return row.state && STATE_COLOURS[row.state]; });
    var arcSel = arcs.selectAll("path").data(origin ? visible : [], function (d) { return d.tie.id; });
    arcSel.exit().remove();
    arcSel.enter().append("path").merge(arcSel)
      .attr("d", function (d) { return path({type: "LineString", coordinates: [origin, [d.tie.lng, d.tie.lat]]}); })
      .attr("stroke", function (d) { return STATE_COLOURS[d.state]; })
      .attr("class", "arc");
    var pointSel = points.selectAll("circle").data(visible, function (d) { return d.tie.id; });
    pointSel.exit().remove();
    pointSel.enter().append("circle")
      .attr("r", 5)
      .attr("tabindex", 0)
      .on("mouseenter focus", function (event, d) { show(event, d); })
      .on("mouseleave blur", function () { tooltip.hidden = true; })
      .on("click keydown", function (event, d) {
        if (event.type === "keydown" && event.key !== "Enter") { return; }
        if (d.tie.url) { window.location.assign(d.tie.url); }
      })
      .merge(pointSel)
      .attr("cx", function (d) { return projection([d.tie.lng, d.tie.lat])[0]; })
      .attr("cy", function (d) { return projection([d.tie.lng, d.tie.lat])[1]; })
      .attr("fill", function (d) { return STATE_COLOURS[d.state]; })
      .attr("stroke", function (d) { return INSTRUMENT_COLOURS[d.tie.instrument] || "#000"; })
      .attr("stroke-width", 1.5)
      .attr("data-partner", function (d) { return d.tie.partner; })
      .attr("data-state", function (d) { return d.state; })
      .attr("data-instrument", function (d) { return d.tie.instrument; });
    if (origin) {
      var home = svg.selectAll("circle.home").data([origin]);
      home.enter().append("circle").attr("class", "home").attr("r", 6).merge(home)
        .attr("cx", projection(origin)[0]).attr("cy", projection(origin)[1]);
    }
    svg.attr("data-as-of", day).attr("data-visible", visible.length);
  }

  function show(event, d) {
    tooltip.textContent = "";
    var title = document.createElement("strong");
    title.textContent = d.tie.partner + " (" + d.tie.country + ")";
    tooltip.appendChild(title);
    [d.tie.instrument_label, data.states[d.state] || d.state,
     d.tie.signed_on ? "↦ " + d.tie.signed_on : ""].forEach(function (text) {
      if (!text) { return; }
      var line = document.createElement("div");
      line.textContent = text;
      tooltip.appendChild(line);
    });
    var box = document.getElementById("partner-map").getBoundingClientRect();
    var cx = parseFloat(event.currentTarget.getAttribute("cx")) / width * box.width;
    var cy = parseFloat(event.currentTarget.getAttribute("cy")) / height * box.height;
    tooltip.style.left = Math.round(cx + 12) + "px";
    tooltip.style.top = Math.round(cy + 12) + "px";
    tooltip.hidden = false;
  }

  function setDay(day) {
    label.textContent = day;
    dateInput.value = day;
    draw(day);
  }

  slider.addEventListener("input", function () {
    var year = slider.value;
    var day = year + "-12-31";
    if (day > data.today) { day = data.today; }
    setDay(day);
  });
  dateInput.addEventListener("change", function () {
    if (/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) {
      slider.value = dateInput.value.slice(0, 4);
      setDay(dateInput.value);
    }
  });

  legend();
  d3.json(script.dataset.atlas).then(function (world) {
    var land = topojson.feature(world, world.objects.countries);
    base.append("g").attr("class", "countries").selectAll("path").data(land.features)
      .enter().append("path").attr("d", path);
    arcs.raise();
    points.raise();
    svg.attr("data-ready", "1");
  });
  setDay(dateInput.value || data.today);
}());
