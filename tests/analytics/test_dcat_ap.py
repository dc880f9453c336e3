"""The public catalogue (/public/datasets.json) conforms to DCAT-AP 3.0.1: validated with pyshacl
against the official SHACL shapes, vendored in tests/analytics/dcat_ap/ with their licence."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph

SHAPES = Path(__file__).parent / "dcat_ap" / "dcat-ap-SHACL.ttl"


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(SHAPES, format="turtle")


def _catalogue_graph(client) -> Graph:
    response = client.get("/public/datasets.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return Graph().parse(data=response.content.decode(), format="json-ld")


@pytest.mark.django_db
def test_public_catalogue_conforms_to_dcat_ap_3(client, ibb_relations, shapes):
    graph = _catalogue_graph(client)
    conforms, _report, text = validate(graph, shacl_graph=shapes, inference="rdfs",
                                       allow_warnings=True)
    assert conforms, text
    assert len(graph) > 40  # a catalogue with datasets and distributions, not an empty one


@pytest.mark.django_db
def test_catalogue_urls_are_iris_and_dates_typed(client, ibb_relations):
    from rdflib import URIRef
    from rdflib.namespace import DCAT, DCTERMS, XSD

    graph = _catalogue_graph(client)
    downloads = list(graph.objects(None, DCAT.downloadURL))
    assert downloads and all(isinstance(url, URIRef) for url in downloads)
    assert all(isinstance(url, URIRef) for url in graph.objects(None, DCAT.accessURL))
    assert all(value.datatype == XSD.date for value in graph.objects(None, DCTERMS.modified))
    assert URIRef("http://www.iana.org/assignments/media-types/text/csv") in set(
        graph.objects(None, DCAT.mediaType))


@pytest.mark.django_db
def test_the_national_register_is_a_dataset_with_its_csv_and_geojson(client, ibb_relations):
    from rdflib import URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF

    graph = _catalogue_graph(client)
    register = URIRef("http://testserver/public/register/#register")
    assert (None, DCAT.dataset, register) in graph and (register, RDF.type, DCAT.Dataset) in graph
    assert (register, DCAT.landingPage, URIRef("http://testserver/public/register/")) in graph
    downloads = {str(graph.value(d, DCAT.downloadURL)): str(graph.value(d, DCAT.mediaType))
                 for d in graph.objects(register, DCAT.distribution)}
    assert downloads == {
        "http://testserver/public/register/ties.csv": "http://www.iana.org/assignments/media-types/text/csv",
        "http://testserver/public/register/ties.geojson":
            "http://www.iana.org/assignments/media-types/application/geo+json"}
    for url, media in downloads.items():  # each distribution answers what it announces
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200 and response["Content-Type"].startswith(media.rsplit("/", 2)[-2] + "/")
    assert graph.value(register, DCTERMS.modified) is not None
