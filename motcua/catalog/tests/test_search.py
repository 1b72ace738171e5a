"""Citizens' words find the intended procedure in the top 3 of GET /api/v1/procedures?q=."""

from motcua.catalog import selectors, services
from motcua.catalog.search import expand
from motcua.catalog.tests.search_queries import MORE_QUERIES, QUERIES


def test_citizen_queries_find_the_intended_procedure_in_the_top_3(client, imported):
    misses = []
    for query, code in QUERIES + MORE_QUERIES:
        response = client.get("/api/v1/procedures", {"q": query})
        assert response.status_code == 200
        codes = [r["code"] for r in response.json()["results"][:3]]
        if code not in codes:
            misses.append((query, code, codes))
    assert misses == []
    assert len(QUERIES) >= 30


def test_results_shape_and_rank_order(client, imported):
    body = client.get("/api/v1/procedures", {"q": "Đăng ký khai sinh"}).json()
    first = body["results"][0]
    assert first["code"] == "1.001193"
    assert first["url"] == "/thu-tuc/1.001193/"
    assert first["name"] == "Thủ tục đăng ký khai sinh"
    assert first["field"] == "Hộ tịch"
    assert first["legal_time"]["unit"] == "working_days"
    assert body["count"] == len(body["results"])
    same = client.get("/api/v1/procedures", {"q": "ĐĂNG KÝ KHAI SINH"}).json()
    unaccented = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"}).json()
    assert [r["code"] for r in same["results"]] == [r["code"] for r in body["results"]]
    assert [r["code"] for r in unaccented["results"]] == [r["code"] for r in body["results"]]


def test_filters_and_plain_list(client, imported):
    listing = client.get("/api/v1/procedures", {"limit": 100}).json()
    assert listing["count"] == 83
    codes = [r["code"] for r in listing["results"]]
    assert codes == sorted(codes)
    civil = client.get("/api/v1/procedures", {"q": "đăng ký", "field": "ho-tich", "limit": 100}).json()
    assert civil["results"] and all(r["field"] == "Hộ tịch" for r in civil["results"])
    online = client.get("/api/v1/procedures", {"online": "none", "limit": 100}).json()
    assert online["results"] and all(r["online_level"] == "none" for r in online["results"])


def test_nonsense_finds_nothing_and_codes_find_themselves(client, imported):
    assert client.get("/api/v1/procedures", {"q": "xyzzy qwerty"}).json()["results"] == []
    assert client.get("/api/v1/procedures", {"q": "1.004873"}).json()["results"][0]["code"] == "1.004873"


def test_detail_endpoint(client, imported):
    body = client.get("/api/v1/procedures/1.001193").json()
    assert body["code"] == "1.001193" and body["papers"] and body["needs_review"] is True
    assert client.get("/api/v1/procedures/1.001193.000.00.00.H29").json()["code"] == "1.001193"
    missing = client.get("/api/v1/procedures/7.777777")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.json()["detail"]


def test_the_index_follows_catalog_changes(imported):
    assert selectors.search("khai sinh")[0].code == "1.001193"
    birth = selectors.get_procedure("1.001193")
    services.update_procedure(birth, actor="test", name="Thủ tục đăng ký khai sinh cho trẻ em mới sinh")
    assert selectors.search("tre em moi sinh")[0].code == "1.001193"


def test_synonyms_expand_colloquial_words():
    assert "can cuoc" in expand("CCCD")
    assert "giay chung nhan quyen su dung dat" in expand("sổ đỏ")
    assert "dang ky khai sinh" in expand("làm giấy khai sinh")


def test_bad_parameters_are_refused_with_a_message(client, db):
    for params in (
        {"limit": "abc"},
        {"limit": 0},
        {"limit": 101},
        {"limit": ""},
        {"level": "planet"},
        {"online": "sometimes"},
        {"online": ""},
    ):
        response = client.get("/api/v1/procedures", params)
        assert response.status_code == 400, params
        assert response.json()["detail"]
