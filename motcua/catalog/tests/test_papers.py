"""Papers follow the law: conditions, shown papers, registry-held papers, copy kinds and quantities."""

import json

import pytest

from motcua.catalog import selectors, services
from motcua.catalog.models import CopyKind, RequirementKind
from motcua.catalog.papers import condition_of, read_paper

AUTHORISATION = (
    "Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện "
    "việc đăng ký khai sinh. Trường hợp người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, "
    "em ruột của người ủy quyền thì văn bản ủy quyền không phải chứng thực."
)
RESIDENCE = (
    "Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường hợp cơ quan đăng ký hộ tịch không thể "
    "khai thác được thông tin về nơi cư trú của công dân theo các phương thức quy định tại khoản 2 Điều 14 "
    "Nghị định số 104/2022/NĐ-CP. Trường hợp các thông tin về giấy tờ chứng minh nơi cư trú đã được khai "
    "thác từ Cơ sở dữ liệu quốc gia về dân cư bằng các phương thức này t…"
)


@pytest.mark.parametrize(
    ("item", "quantity", "group", "expected"),
    [
        # an always-needed paper handed in: one original
        (
            "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng.",
            "1 bản chính",
            "Giấy tờ phải nộp",
            (RequirementKind.SUBMIT, None, CopyKind.ORIGINAL, 1, False),
        ),
        # the authorisation letter only when someone files for another person
        (
            AUTHORISATION,
            "1 bản chính",
            "Giấy tờ phải nộp",
            (
                RequirementKind.SUBMIT,
                "Trường hợp ủy quyền thực hiện việc đăng ký khai sinh",
                CopyKind.ORIGINAL,
                1,
                False,
            ),
        ),
        # a leading "Trường hợp X thì ..."
        (
            "Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi.",
            "1 bản chính",
            "Giấy tờ phải nộp",
            (RequirementKind.SUBMIT, "Trường hợp trẻ em bị bỏ rơi", CopyKind.ORIGINAL, 1, False),
        ),
        # "Trường hợp X phải có ...": the case ends where the paper begins
        (
            "Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ phải có văn bản xác nhận của cơ sở y tế.",
            "1 bản chính",
            "Giấy tờ phải nộp",
            (
                RequirementKind.SUBMIT,
                "Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ",
                CopyKind.ORIGINAL,
                1,
                False,
            ),
        ),
        # shown at the counter, not handed in
        (
            "Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước còn giá trị sử dụng",
            "1 bản chính",
            "Giấy tờ phải xuất trình",
            (RequirementKind.SHOW, None, CopyKind.ORIGINAL, 1, False),
        ),
        # the registration body reads it from the population database itself
        (
            RESIDENCE,
            "1 bản chính",
            "Giấy tờ phải xuất trình",
            (RequirementKind.REGISTRY, None, CopyKind.ORIGINAL, 1, False),
        ),
        # a copy only
        (
            "Giấy chứng nhận kết hôn",
            "0 bản chính,1 bản sao",
            "Giấy tờ phải nộp",
            (RequirementKind.SUBMIT, None, CopyKind.COPY, 1, False),
        ),
        # a certified copy named in the wording
        (
            "Bản sao có chứng thực Giấy chứng nhận quyền sử dụng đất",
            "0 bản chính,1 bản sao",
            None,
            (RequirementKind.SUBMIT, None, CopyKind.CERTIFIED_COPY, 1, False),
        ),
        # the condition comes from the group heading
        (
            "Giấy ủy quyền",
            "0 bản chính,1 bản sao",
            "Trường hợp ủy quyền thực hiện thủ tục thì hồ sơ phải kèm theo một trong những giấy tờ sau",
            (RequirementKind.SUBMIT, "Trường hợp ủy quyền thực hiện thủ tục", CopyKind.COPY, 1, True),
        ),
        # "1 bản chính, 1 bản sao" without a word on which: read as the original, flagged
        (
            "Đơn đề nghị",
            "1 bản chính,1 bản sao",
            None,
            (RequirementKind.SUBMIT, None, CopyKind.ORIGINAL, 1, True),
        ),
        # an implausible count from the crawl is flagged, not believed
        (
            "Bản vẽ",
            "181 bản chính,1 bản sao",
            None,
            (RequirementKind.SUBMIT, None, CopyKind.ORIGINAL, 1, True),
        ),
        # a bare number: no copy kind given, flagged
        ("Tờ khai", "1", None, (RequirementKind.SUBMIT, None, CopyKind.ORIGINAL, 1, True)),
        # notes stay notes
        (
            "Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp)",
            "1 bản chính",
            "Lưu ý",
            (RequirementKind.NOTE, None, CopyKind.ORIGINAL, 1, False),
        ),
    ],
)
def test_read_paper(item, quantity, group, expected):
    paper = read_paper(item, quantity, group)
    assert (paper.kind, paper.condition, paper.copy_kind, paper.quantity, paper.needs_review) == expected


def test_an_alternative_for_a_missing_paper_is_not_a_condition():
    assert condition_of("Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp giấy cam đoan.") is None


def test_every_paper_of_the_real_catalog_reads_without_error():
    data = json.loads(services.DEFAULT_DATA.read_text(encoding="utf-8"))
    papers = [
        read_paper(c["item"], c.get("quantity"), c.get("group"))
        for record in data["procedures"]
        for c in record.get("dossier_components") or []
        if c.get("item")
    ]
    assert len(papers) > 300
    assert all(p.quantity >= 1 for p in papers)
    conditional = [p for p in papers if p.condition]
    assert conditional, "the real catalog has conditional papers"
    assert all(p.condition.startswith("Trường hợp") for p in conditional)
    assert all(len(p.condition) <= 300 for p in conditional)
    assert any(p.kind == RequirementKind.REGISTRY for p in papers)
    # the review flag stays the exception, so it keeps meaning something
    flagged = [p for p in papers if p.needs_review]
    assert len(flagged) < len(papers) / 2


def test_birth_registration_imports_conditions_and_kinds(imported):
    birth = selectors.get_procedure("1.001193")
    papers = list(selectors.papers(birth))
    by_start = {p.name[:20]: p for p in papers}
    letter = next(p for p in papers if p.name.startswith("Văn bản ủy quyền"))
    assert letter.condition == "Trường hợp ủy quyền thực hiện việc đăng ký khai sinh"
    assert letter.quantity_label == "01 bản chính"
    certificate = next(p for p in papers if p.name.startswith("Giấy chứng sinh"))
    assert certificate.condition is None
    assert certificate.kind == RequirementKind.SUBMIT
    identity = next(p for p in papers if p.name.startswith("Hộ chiếu"))
    assert identity.kind == RequirementKind.SHOW
    residence = next(p for p in papers if p.name.startswith("Giấy tờ có giá trị chứng minh"))
    assert residence.kind == RequirementKind.REGISTRY
    assert by_start  # every paper kept


def test_requirement_applies_only_when_its_condition_is_answered_yes(imported):
    birth = selectors.get_procedure("1.001193")
    letter = next(p for p in selectors.papers(birth) if p.condition)
    assert letter.applies({}) is False
    assert letter.applies({str(letter.pk): False}) is False
    assert letter.applies({str(letter.pk): True}) is True


def test_old_snapshots_without_the_new_columns_still_apply(make_procedure):
    procedure = make_procedure(requirements=[[1, "Đơn đề nghị", "submit", 1, 0, "1 bản chính", "", True]])
    paper = selectors.papers(procedure).get()
    assert (paper.condition, paper.copy_kind, paper.quantity) == (None, CopyKind.ORIGINAL, 1)
