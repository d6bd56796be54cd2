"""The catalogs' upkeep with Babel: extract the messages, update each language, compile.

    python -m autograd.i18n.catalogs update      # after changing messages in the code
    python -m autograd.i18n.catalogs compile     # after translating in a .po by hand
    python -m autograd.i18n.catalogs init fr     # a new language: locale/fr/LC_MESSAGES/*.po
    python -m autograd.i18n.catalogs check       # what the tests check; exit 1 with a list
    python -m autograd.i18n.catalogs merge other.po  # take translations from another .po

Run it in a clone (it reads the source of autograd, nn, visualize and demos). Babel is needed
here only (it comes with the ``test`` extra); at run time Python's ``gettext`` reads the
compiled ``.mo`` files, which are committed next to their ``.po`` sources.
"""

from __future__ import annotations

import argparse
import io
import pathlib
import string
import sys

from autograd.i18n import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE

try:
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po
except ImportError:  # pragma: no cover - the message is the point
    raise SystemExit("the catalogs' upkeep needs Babel: pip install -e '.[test]'") from None

ROOT = LOCALE_DIR.parents[2]                       # the clone: autograd/i18n/locale -> root
SOURCES = ("autograd", "nn", "visualize", "demos")
KEYWORDS = {"tr": None, "trn": (1, 2), "N_": None}  # see autograd.i18n
COMMENT_TAGS = ("TRANSLATORS:",)
PROJECT = "backprop-lab"
WIDTH = 100


def po_path(lang: str) -> pathlib.Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> pathlib.Path:
    return po_path(lang).with_suffix(".mo")


def translated_languages() -> list[str]:
    """Every language with a ``.po`` source (English has none: it is the code's own)."""
    return sorted(p.parents[1].name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def template(root: pathlib.Path = ROOT) -> Catalog:
    """Every message marked in the source (``tr``, ``trn``, ``N_``), where it is, and the
    ``# TRANSLATORS:`` comment above it."""
    catalog = Catalog(project=PROJECT, fuzzy=False)
    for folder in SOURCES:
        if not (root / folder).is_dir():
            continue
        found = extract_from_dir(root / folder, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                                 strip_comment_tags=True,
                                 directory_filter=lambda d: "__pycache__" not in d)
        for filename, line, message, comments, context in found:
            where = (f"{folder}/{pathlib.PurePath(filename).as_posix()}", line)
            catalog.add(message, locations=[where], auto_comments=comments, context=context)
    return catalog


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def po_bytes(catalog: Catalog) -> bytes:
    """The ``.po`` text: file names without line numbers (no churn when code moves), no
    entries the code no longer has."""
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled catalog gettext reads (fuzzy entries left out, as gettext's msgfmt does)."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def save(lang: str, catalog: Catalog) -> None:
    po_path(lang).parent.mkdir(parents=True, exist_ok=True)
    po_path(lang).write_bytes(po_bytes(catalog))
    mo_path(lang).write_bytes(mo_bytes(read(lang)))   # compiled from the file as written


def update(source: Catalog | None = None) -> list[str]:
    """Bring every language's catalog up to the code's messages; returns the languages."""
    source = source or template()
    for lang in translated_languages():
        catalog = read(lang)
        catalog.update(source, update_creation_date=False)
        save(lang, catalog)
    return translated_languages()


def init(lang: str) -> pathlib.Path:
    """Start a new language's catalog from the code's messages, every entry untranslated."""
    if lang == SOURCE_LANGUAGE or po_path(lang).exists():
        raise SystemExit(f"init {lang}: that language already has its messages")
    catalog = Catalog(locale=lang, domain=DOMAIN, project=PROJECT, fuzzy=False,
                      msgid_bugs_address=f"{PROJECT} issues",
                      last_translator=f"{PROJECT} contributors", language_team=PROJECT,
                      header_comment=f"# Messages of {PROJECT} in {lang}: translate each msgstr, "
                                     "then run `python -m autograd.i18n.catalogs compile`.\n#")
    catalog.update(template())
    save(lang, catalog)
    return po_path(lang)


def merge(lang: str, other: Catalog) -> tuple[int, list[str]]:
    """Fill ``lang``'s untranslated or fuzzy messages from ``other`` (the same language's
    catalog from another branch, say), where it has a translation with the same fields.

    Returns:
        How many were taken, and the messages both translate differently (ours is kept).
    """
    catalog = read(lang)
    taken, differ = 0, []
    for message in catalog:
        theirs = other.get(message.id, message.context) if message.id else None
        if theirs is None or theirs.fuzzy or not _translated(theirs):
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = theirs.string if theirs.pluralizable else (theirs.string,)
        if any(placeholders(s) != placeholders(ids[0]) for s in strings):
            continue
        if message.fuzzy or not _translated(message):
            message.string = theirs.string
            message.flags.discard("fuzzy")
            taken += 1
        elif message.string != theirs.string:
            differ.append(repr(ids[0]))
    save(lang, catalog)
    return taken, differ


def _translated(message) -> bool:
    strings = message.string if message.pluralizable else (message.string,)
    return all(strings)


def placeholders(message: str) -> list[tuple[str, str]]:
    """The ``{name:spec}`` fields of a message, sorted: a translation must keep them all."""
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(message)
                  if name is not None]
    except ValueError as e:
        return [("<not a format string>", str(e))]
    return sorted(fields)


def problems(catalog: Catalog, source: Catalog, compiled: bytes | None) -> list[str]:
    """What is wrong with one language's catalog, one line each; empty when all is well.

    Args:
        catalog: the language's ``.po``, read.
        source: the messages in the code (``template()``).
        compiled: the committed ``.mo`` (``None`` if there is none).
    """
    found = []
    for message in source:
        if message.id and message.id not in catalog:
            found.append(f"not in the catalog (run update): {message.id!r}")
    for message in catalog:
        if not message.id:
            continue
        text = repr(message.id[0] if message.pluralizable else message.id)
        strings = message.string if message.pluralizable else (message.string,)
        ids = message.id if message.pluralizable else (message.id,)
        if message.id not in source:
            found.append(f"no longer in the code (run update): {text}")
        if message.fuzzy:
            found.append(f"fuzzy (a guess to check, then remove the flag): {text}")
        if not all(strings):
            found.append(f"not translated: {text}")
        elif any(placeholders(s) != placeholders(ids[0]) for s in strings):
            found.append(f"placeholders differ from the English {placeholders(ids[0])}: {text}")
    if compiled is None:
        found.append("no compiled .mo next to the .po (run compile)")
    elif compiled != mo_bytes(catalog):
        found.append("the .mo is not the compiled .po (run compile)")
    return found


def check(source: Catalog | None = None) -> dict[str, list[str]]:
    """Every language's problems (``problems``), by language; ``source``: the messages in the
    code (``template()``, extracted when not given)."""
    source = source or template()
    return {lang: problems(read(lang), source,
                           mo_path(lang).read_bytes() if mo_path(lang).exists() else None)
            for lang in translated_languages()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="extract the messages and update every .po and .mo")
    commands.add_parser("compile", help="compile every .po into its .mo")
    commands.add_parser("check", help="list what is missing, untranslated or out of date")
    new = commands.add_parser("init", help="start a new language's catalog")
    new.add_argument("lang", help="its code, as in a locale name: fr, de, ja, ...")
    take = commands.add_parser("merge", help="fill untranslated messages from another .po of "
                                             "the same language (after merging two branches)")
    take.add_argument("po", type=pathlib.Path, help="the other .po file")
    args = parser.parse_args(argv)
    if args.command == "update":
        print(f"updated: {', '.join(update()) or 'no language yet'}")
    elif args.command == "compile":
        for lang in translated_languages():
            mo_path(lang).write_bytes(mo_bytes(read(lang)))
            print(f"compiled {mo_path(lang)}")
    elif args.command == "init":
        print(f"wrote {init(args.lang)}: translate each msgstr, then run compile")
    elif args.command == "merge":
        with args.po.open("rb") as f:
            other = read_po(f)
        lang = str(other.locale) if other.locale else ""
        if lang not in translated_languages():
            raise SystemExit(f"merge: {args.po} is in {lang or 'no language'}; there are "
                             f"catalogs for: {', '.join(translated_languages())}")
        taken, differ = merge(lang, other)
        print(f"{lang}: {taken} translations taken from {args.po}")
        print("\n".join(f"{lang}: kept ours, theirs differs: {m}" for m in differ))
    else:
        found = check()
        for lang, lines in found.items():
            print("\n".join(f"{lang}: {line}" for line in lines) or f"{lang}: complete")
        return 1 if any(found.values()) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
