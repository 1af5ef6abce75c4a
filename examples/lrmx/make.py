"""Write the example LRMX forms and their zip batch from people.yml (made-up people).

    python examples/lrmx/make.py

Each form is UTF-8 XML with a byte-order mark, root <Person>, its elements in the order
of the empty template every 干部任免 system shares (LRMX.md in the project's notes).
batch.zip holds the two forms under their Chinese names encoded in GBK, without the
zip's UTF-8 flag, as the organisation departments' systems write them. The output is
the same bytes on every run (fixed member times), so a regenerated file shows no diff.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

HERE = Path(__file__).resolve().parent
ORDER = (
    "XingMing XingBie ChuShengNianYue MinZu JiGuan ChuShengDi RuDangShiJian "
    "CanJiaGongZuoShiJian JianKangZhuangKuang ZhuanYeJiShuZhiWu "
    "ShuXiZhuanYeYouHeZhuanChang QuanRiZhiJiaoYu_XueLi QuanRiZhiJiaoYu_XueWei "
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi "
    "ZaiZhiJiaoYu_XueLi ZaiZhiJiaoYu_XueWei ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi "
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi XianRenZhiWu NiRenZhiWu NiMianZhiWu JianLi "
    "JiangChengQingKuang NianDuKaoHeJieGuo RenMianLiYou"
).split()
AFTER_FAMILY = "ChengBaoDanWei JiSuanNianLingShiJian TianBiaoShiJian TianBiaoRen ShenFenZheng " \
    "ZhaoPian".split()
ITEM = "ChengWei XingMing ChuShengRiQi ZhengZhiMianMao GongZuoDanWeiJiZhiWu".split()


def form(person: dict[str, object]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<Person>"]
    for tag in ORDER:
        lines.append(f"  <{tag}>{escape(str(person.get(tag, '')))}</{tag}>")
    lines.append("  <JiaTingChengYuan>")
    for item in person.get("family") or []:
        assert isinstance(item, dict)
        lines.append("    <Item>")
        lines.extend(f"      <{tag}>{escape(str(item.get(tag, '')))}</{tag}>" for tag in ITEM)
        lines.append("    </Item>")
    lines.append("  </JiaTingChengYuan>")
    for tag in AFTER_FAMILY:
        lines.append(f"  <{tag}>{escape(str(person.get(tag, '')))}</{tag}>")
    lines += ["  <Version>3.2.1.6</Version>", "</Person>", ""]
    return "\ufeff".encode() + "\n".join(lines).encode("utf-8")


class _GbkName(zipfile.ZipInfo):
    """A member name written in GBK with the UTF-8 flag clear (zipfile would write
    UTF-8 and set the flag)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 (zipfile's name)
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def main() -> None:
    people = yaml.safe_load((HERE / "people.yml").read_text(encoding="utf-8"))
    batch = HERE / "batch.zip"
    with zipfile.ZipFile(batch, "w", zipfile.ZIP_DEFLATED) as archive:
        for person in people:
            data = form(person)
            (HERE / person["file"]).write_bytes(data)
            member = _GbkName("".join(str(person["XingMing"]).split()) + ".lrmx",
                              date_time=(2024, 3, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, data)
    print(f"wrote {len(people)} forms and {batch.name} in {HERE}")


if __name__ == "__main__":
    main()
