"""What the site's scripts (static/js/*.js) show or say comes from the server, in the reader's
language: a data- attribute the template translated, or the server's answer. A text written
into a script as a string literal ("Saving…", "Could not reach the server") would be English
on a Chinese page, and makemessages never sees it. This checks every place a script puts text
before the reader: an element's text or markup, its title, placeholder, alt or ARIA text, a
dialog (alert, confirm, prompt), and the scripts' own spoken-status helpers (say, announce,
panelFailed). A literal there may hold no letters ("" to clear, "%(count)s" to fill)."""

import re
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"
SINKS = re.compile(
    r"""(?:\.(?:textContent|innerText|innerHTML|outerHTML|title|placeholder|alt|ariaLabel)\s*=(?!=)"""
    r"""|setAttribute\(\s*["'](?:aria-label|aria-description|aria-valuetext|title|placeholder|alt)["']\s*,"""
    r"""|\b(?:alert|confirm|prompt|say|announce|panelFailed)\s*\()"""
    r"""(?P<value>[^;\n]*)"""
)
LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`')
# A placeholder the script fills (%(count)s, {status}) is not a word of the reader's.
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|\$\{[^}]*\}")


def _code(text: str) -> str:
    """The script without its comments (a comment's apostrophe is not a string)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"(?<![:\"'\\])//[^\n]*", "", text)


def words_shown(script: str) -> list[str]:
    """The string literals with letters a script puts before the reader."""
    found = []
    for sink in SINKS.finditer(_code(script)):
        for literal in LITERAL.findall(sink["value"]):
            if re.search(r"[A-Za-z]", PLACEHOLDER.sub("", literal[1:-1])):
                found.append(literal)
    return found


def test_the_check_finds_a_literal_text():
    assert words_shown('node.textContent = "Saved";') == ['"Saved"']
    assert words_shown("say(`Could not save: ${reason}`);") == ["`Could not save: ${reason}`"]
    assert words_shown('el.setAttribute("aria-label", "Close");') == ['"Close"']
    assert words_shown('node.textContent = "";\nsay(status.dataset.saved);') == []
    assert words_shown('t.textContent = data.template.replace("%(count)s", n);') == []


def test_no_script_writes_a_text_of_its_own():
    scripts = sorted(SCRIPTS.glob("*.js"))
    assert len(scripts) >= 4
    found = {script.name: words_shown(script.read_text(encoding="utf-8")) for script in scripts}
    assert {name: literals for name, literals in found.items() if literals} == {}
