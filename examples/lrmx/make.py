"""Write the example LRMX forms and their zip batch from PEOPLE below (made-up people).

    python examples/lrmx/make.py

Each form is UTF-8 XML with a byte-order mark, root <Person>, its elements in the order
of the empty template the 干部任免 systems share.
batch.zip holds the two forms under their Chinese names encoded in GBK, without the
zip's UTF-8 flag, as the organisation departments' systems write them. The output is
the same bytes on every run (fixed member times), so a regenerated file shows no diff.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent

# Two made-up people. Keys are the LRMX elements (干部任免审批表 fields); the ID
# number is fictitious (region code 990000, which no region has) but carries a
# correct check digit. 李红's form has no ID number, so her birth day is not known.
PEOPLE: list[dict[str, Any]] = [
    {
        "file": "wang-xiaoming.lrmx",
        "XingMing": "王 晓明",
        "XingBie": "男",
        "ChuShengNianYue": "198503",
        "MinZu": "汉族",
        "JiGuan": "某省某县",
        "ChuShengDi": "某省某县",
        "RuDangShiJian": "200606",
        "CanJiaGongZuoShiJian": "200807",
        "JianKangZhuangKuang": "健康",
        "QuanRiZhiJiaoYu_XueLi": "大学",
        "QuanRiZhiJiaoYu_XueWei": "管理学学士",
        "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "某大学公共管理专业",
        "ZaiZhiJiaoYu_XueLi": "硕士研究生",
        "ZaiZhiJiaoYu_XueWei": "公共管理硕士",
        "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "某省委党校在职研究生班",
        "XianRenZhiWu": "某县某局副局长",
        "NiRenZhiWu": "某县某局局长",
        "NiMianZhiWu": "某县某局副局长",
        "JianLi": (
            "2004.09--2008.07  某大学公共管理专业学习\n"
            "2008.07--2012.07  某县某镇党政办科员\n"
            "2012.07--2016.03  某县某镇党委委员、副镇长（副科级）\n"
            "2016.03--         某县某局副局长\n"
            "                  （其间：2017.09--2019.07 在某省委党校在职研究生班学习）"
        ),
        "JiangChengQingKuang": "2022年度嘉奖一次",
        "NianDuKaoHeJieGuo": "2021年度考核称职；2022年度考核优秀；2023年度考核称职",
        "RenMianLiYou": "工作需要",
        "family": [
            {"ChengWei": "妻子", "XingMing": "赵某", "ChuShengRiQi": "198601",
             "ZhengZhiMianMao": "群众", "GongZuoDanWeiJiZhiWu": "某县某小学教师"},
        ],
        "ChengBaoDanWei": "中共某县委员会",
        "JiSuanNianLingShiJian": "202403",
        "TianBiaoShiJian": "202403",
        "TianBiaoRen": "某某",
        "ShenFenZheng": "990000198503121230",
    },
    {
        "file": "li-hong.lrmx",
        "XingMing": "李红",
        "XingBie": "女",
        "ChuShengNianYue": "1990.07",
        "MinZu": "汉族",
        "JiGuan": "某省某市",
        "ChuShengDi": "某省某市",
        "RuDangShiJian": "九三学社",
        "CanJiaGongZuoShiJian": "201207",
        "JianKangZhuangKuang": "健康",
        "QuanRiZhiJiaoYu_XueLi": "大学本科",
        "QuanRiZhiJiaoYu_XueWei": "文学学士",
        "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "某师范大学汉语言文学专业",
        "XianRenZhiWu": "某县某局副局长",
        "NiRenZhiWu": "某县某中心主任",
        "JianLi": (
            "2008.09--2012.07  某师范大学汉语言文学专业学习\n"
            "2012.07--2015.08  某县某乡人民政府科员\n"
            "2015.08--2020.12  某县某街道办事处副主任（副科级）\n"
            "2020.12--         某县某局副局长"
        ),
        "NianDuKaoHeJieGuo": "2020、2021年度考核称职，2022年度考核优秀",
        "RenMianLiYou": "工作需要",
        "family": [],
        "ChengBaoDanWei": "中共某县委员会",
        "JiSuanNianLingShiJian": "202403",
        "TianBiaoShiJian": "202403",
        "TianBiaoRen": "某某",
    },
]

ORDER = (
    "XingMing", "XingBie", "ChuShengNianYue", "MinZu", "JiGuan", "ChuShengDi",
    "RuDangShiJian", "CanJiaGongZuoShiJian", "JianKangZhuangKuang", "ZhuanYeJiShuZhiWu",
    "ShuXiZhuanYeYouHeZhuanChang", "QuanRiZhiJiaoYu_XueLi", "QuanRiZhiJiaoYu_XueWei",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueWei", "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "XianRenZhiWu", "NiRenZhiWu", "NiMianZhiWu",
    "JianLi", "JiangChengQingKuang", "NianDuKaoHeJieGuo", "RenMianLiYou",
)
AFTER_FAMILY = ("ChengBaoDanWei", "JiSuanNianLingShiJian", "TianBiaoShiJian", "TianBiaoRen",
                "ShenFenZheng", "ZhaoPian")
ITEM = ("ChengWei", "XingMing", "ChuShengRiQi", "ZhengZhiMianMao", "GongZuoDanWeiJiZhiWu")


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

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile's own name
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def main() -> None:
    people = PEOPLE
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
