// Gazetteer autocomplete on the review screen: GET /api/places/search/?q=... and one-click choice.
(function () {
  const input = document.getElementById("place-search");
  if (!input) return;
  const list = document.getElementById("place-search-results");
  const ref = document.getElementById("place-search-ref");
  const form = document.getElementById("place-search-form");
  const anywhere = document.getElementById("place-search-anywhere");
  let timer = null;
  let seq = 0;
  function render(hits) {
    list.replaceChildren();
    for (const hit of hits) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "outline";
      button.textContent = input.dataset.chooseLabel;
      button.addEventListener("click", function () { ref.value = hit.geonameid; form.submit(); });
      li.textContent = hit.name + " (" + hit.country_code + ") · " + hit.population.toLocaleString() +
        " · " + hit.latitude.toFixed(2) + ", " + hit.longitude.toFixed(2) + " ";
      li.appendChild(button);
      list.appendChild(li);
    }
  }
  function search() {
    const q = input.value.trim();
    if (q.length < 2) { render([]); return; }
    const params = new URLSearchParams({ q: q });
    if (input.dataset.country && !anywhere.checked) params.set("country", input.dataset.country);
    const mine = ++seq;
    fetch("/api/places/search/?" + params, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (hits) { if (mine === seq) render(hits); });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
  anywhere.addEventListener("change", search);
})();
