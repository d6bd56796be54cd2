"""A font with Chinese characters for matplotlib, so Chinese plot text is not drawn as boxes.

matplotlib's default font, DejaVu Sans, has no Chinese characters: each one becomes an empty
box ("tofu"). ``use_cjk_font`` finds an installed font that has them and adds it after DejaVu
Sans, so Latin letters, digits and symbols keep their look and each Chinese character comes
from the CJK font (matplotlib's per-character font fallback, 3.6 and newer). Without one it
warns once and says what to install.
"""

from __future__ import annotations

import warnings

from autograd.extend import tr

# Chinese fonts by family name, simplified-Chinese forms first; the first installed one is used
FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
            "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
            "Hiragino Sans GB", "Heiti SC", "SimHei", "Sarasa Gothic SC", "Noto Sans CJK JP",
            "Noto Sans CJK TC", "Droid Sans Fallback", "AR PL UMing CN", "Arial Unicode MS")
# file names (lower case) that may hold such a font: matplotlib's cached font list can predate
# the font's installation, so files are looked for too
FILE_HINTS = ("cjk", "sourcehan", "wqy", "wenquanyi", "msyh", "yahei", "simhei", "pingfang",
              "hiragino", "droidsansfallback", "uming", "ukai", "sarasa", "notosanssc")
TEST_CHARACTERS = "前向传播"
_warned: list[bool] = []


def _covers(path: str) -> bool:
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(c)) for c in TEST_CHARACTERS)


def find_cjk_font() -> str | None:
    """The family name of an installed font with Chinese characters that matplotlib can use,
    or ``None``."""
    from matplotlib import font_manager

    manager = font_manager.fontManager

    def known() -> str | None:
        names = {entry.name: entry.fname for entry in manager.ttflist}
        return next((f for f in FAMILIES if f in names and _covers(names[f])), None)

    found = known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(hint in path.lower().replace("-", "").replace("_", "")
                   for hint in FILE_HINTS) and _covers(path):
                manager.addfont(path)   # in memory only: matplotlib's cache file is not touched
        found = known()
    return found


def use_cjk_font(rc: dict) -> str | None:
    """Put a CJK font after DejaVu Sans in matplotlib's ``rc`` (``matplotlib.rcParams``);
    returns its name, or ``None`` after warning once that Chinese text will show as boxes."""
    found = find_cjk_font()
    if found is None:
        if not _warned:
            _warned.append(True)
            warnings.warn(tr("no font with Chinese characters was found, so the plots' Chinese "
                             "text will show as empty boxes; install one, for example "
                             "`apt-get install fonts-noto-cjk` on Debian or Ubuntu (Noto Sans "
                             "CJK; Source Han Sans or WenQuanYi Zen Hei work too)"), stacklevel=2)
        return None
    rc["font.family"] = ["DejaVu Sans", found]
    return found
