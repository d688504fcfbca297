"""Generated Arabic news pages for bench/extract_speed.py (Moroccan and Mashreq style).

Why separate: Arabic pages go through the normaliser (transforms/figures/arabic.py)
before the engine, so their speed is printed on its own line, on pages written the way
the Arabic press writes: Western and Eastern digits, MAP decimals ("9 ر8"), glued
proclitics ("ب50"), the Arabic comma, percent words, and mostly figure-free prose.
"""

from __future__ import annotations

import random

from newsfacts.testing.templates import fill_slots, number

AMOUNTS = ["{n} مليون درهم", "{n},{d} مليار درهم", "{n} ملايير درهم", "حوالي {n} مليون دولار",
           "{n}.{d} مليار أورو", "{d} ر{n} ملايير درهم", "بـ{n} ألف درهم", "أكثر من {n} مليون يورو",
           "ما بين {n} و{m} مليون درهم", "{e} مليون دولار", "{n}$", "ثلاثة ملايين دولار",
           "{n} مليون سنتيم", "نحو {n} مليار ريال سعودي", "{n} ألف جنيه مصري"]
OTHER = ["{n} بالمائة", "{d}ر{n} بالمائة", "{n},{d} في المائة", "{n} منصب شغل", "{n} هكتار",
         "{n} ميغاواط", "{n} شخص", "{n} طن", "{n}،{d} هكتار"]
SENTENCES = [
    "أعلنت مجموعة {o} عن استثمار {A} في مشروع جديد بمدينة الدار البيضاء، حسب بلاغ صدر {t}.",
    "وبلغ رقم معاملات الشركة {A} سنة {y}، مقابل {A} في السنة السابقة، أي بارتفاع نسبته {X}.",
    "وأضاف المصدر ذاته أن المشروع سيمكن من خلق {X} وسيتطلب تعبئة غلاف مالي بقيمة {A}.",
    "وسجلت بورصة الدار البيضاء ارتفاعا بنسبة {X}، فيما استقر مؤشر مازي عند {n}{k} نقطة.",
    "وتمتد المحطة الجديدة على مساحة {X} وستنتج {X} في أفق سنة {y}.",
    "للتواصل مع هيئة التحرير: 0522{k}{k} أو عبر البريد الإلكتروني. اقرأ المزيد",
]
PROSE = [
    "وأكد الوزير على أهمية هذه الشراكة بالنسبة للاقتصاد الوطني وتشغيل الشباب في مختلف جهات المملكة.",
    "ويرى المحللون أن قرار البنك المركزي قد يؤثر على وتيرة النمو خلال الأشهر المقبلة.",
    "وتندرج هذه العملية في إطار استراتيجية التنويع التي تنهجها المجموعة منذ عدة سنوات.",
    "ودعت النقابات إلى يوم جديد من التعبئة للدفاع عن القدرة الشرائية للمواطنين.",
    "ولا يزال النص في حاجة إلى المصادقة عليه من طرف البرلمان قبل دخوله حيز التنفيذ.",
    "ورفض المدير العام للشركة التعليق على هذه المعلومات في تصريح للصحافة.",
]
FURNITURE = ["إعلان", "اقرأ أيضا", "شارك على فيسبوك", "النشرة الإخبارية", "الرئيسية | اقتصاد | رياضة",
             "منذ 3 ساعات", "الأكثر قراءة"]
ORGS = ["اتصالات المغرب", "المكتب الشريف للفوسفاط", "التجاري وفا بنك", "لافارج", "رونو", "بنك إفريقيا"]
TIMES = ["أمس الاثنين", "اليوم الثلاثاء", "يوم الجمعة", "الأسبوع الماضي"]
_EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _fill(tmpl: str, rnd: random.Random) -> str:
    def num() -> str:
        return number(rnd)

    return fill_slots(tmpl, (
        ("{A}", lambda: rnd.choice(AMOUNTS)), ("{X}", lambda: rnd.choice(OTHER)),
        ("{n}", num), ("{m}", num), ("{d}", lambda: str(rnd.randint(1, 9))),
        ("{e}", lambda: num().translate(_EASTERN)),
        ("{k}", lambda: f"{rnd.randint(0, 999):03d}"),
        ("{y}", lambda: str(rnd.randint(1990, 2030))),
        ("{o}", lambda: rnd.choice(ORGS)), ("{t}", lambda: rnd.choice(TIMES))))


def build_pages(mb: float, seed: int) -> list[tuple[str, str]]:
    """("ar", page) pairs totalling at least `mb` megabytes of UTF-8."""
    rnd = random.Random(seed)
    pages: list[tuple[str, str]] = []
    total = 0
    while total < mb * 1e6:
        lines = rnd.sample(FURNITURE, 3)
        for _ in range(rnd.randint(8, 20)):
            para = " ".join(_fill(rnd.choice(SENTENCES), rnd) if rnd.random() < 0.3
                            else rnd.choice(PROSE) for _ in range(rnd.randint(2, 5)))
            lines.append(para)
        lines += rnd.sample(FURNITURE, 2)
        page = "\n\n".join(lines)
        pages.append(("ar", page))
        total += len(page.encode("utf-8"))
    return pages
