"""kg view: the page is deterministic, self-contained, safe with hostile text, and works in a real browser."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import InputError, OutputError
from kg.sinks import read_graph
from kg.view import LABEL_COLOURS, find_nodes, page_data, render_html, select, write_view
from tests.conftest import ROOT

runner = CliRunner()
HOSTILE = "</script><script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"> '\"&amp; <!-- \u2028{{data}}"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


# ---- small graphs ----------------------------------------------------------------------------

def _paper(graph: nx.MultiDiGraph, key: str, title: str, abstract: str) -> None:
    graph.add_node(key, labels=":Paper", key=key, title=title, abstract=abstract)


def _entity(graph: nx.MultiDiGraph, key: str, label: str, name: str, aliases: list[str] | None = None) -> None:
    graph.add_node(key, labels=f":{label}", key=key, name=name, aliases=aliases or [], paper_count=1)


def _mention(graph: nx.MultiDiGraph, paper: str, entity: str, rel: str, span: str) -> None:
    """An evidence edge whose offsets point at `span` in the paper's abstract (one sentence)."""
    abstract = graph.nodes[paper]["abstract"]
    start = abstract.index(span)
    graph.add_edge(paper, entity, key=rel, label=rel, field="abstract", start=start, end=start + len(span),
                   sentence=abstract, rule="test", confidence=0.9, mentions=1)


@pytest.fixture
def chain():
    """A -USES-> M <-USES- B -EVALUATES_ON-> D <-EVALUATES_ON- C, and a lone paper E."""
    g = nx.MultiDiGraph()
    for key in "ABCE":
        _paper(g, f"paper:{key.lower()}", f"Paper {key}", f"Paper {key} uses FooNet and evaluates on BarSet.")
    _entity(g, "method:foonet", "Method", "FooNet", ["Foo Network"])
    _entity(g, "dataset:barset", "Dataset", "BarSet")
    _mention(g, "paper:a", "method:foonet", "USES", "FooNet")
    _mention(g, "paper:b", "method:foonet", "USES", "FooNet")
    _mention(g, "paper:b", "dataset:barset", "EVALUATES_ON", "BarSet")
    _mention(g, "paper:c", "dataset:barset", "EVALUATES_ON", "BarSet")
    return g


@pytest.fixture
def hostile_graph():
    g = nx.MultiDiGraph()
    abstract = f"We study {HOSTILE} with \U0001d4d5ooNet \U0001f600 and FooNet here."
    _paper(g, "paper:evil", HOSTILE, abstract)
    _entity(g, "method:foonet", "Method", "FooNet", [HOSTILE])
    _entity(g, "method:evil", "Method", HOSTILE)
    _mention(g, "paper:evil", "method:foonet", "USES", "FooNet here")
    _mention(g, "paper:evil", "method:evil", "PROPOSES", HOSTILE)
    return g


def _data_of(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert found, "no data element"
    return json.loads(found.group(1))


@pytest.fixture(scope="session")
def seed_graph(seed_graphml):
    return read_graph(seed_graphml)


@pytest.fixture(scope="session")
def seed_page(seed_graph) -> str:
    return render_html(page_data(seed_graph, select(seed_graph), "graph.graphml"))


# ---- determinism ---------------------------------------------------------------------------

def test_view_same_graph_gives_byte_identical_html_whatever_the_insertion_order(seed_graph, seed_page):
    reversed_graph = nx.MultiDiGraph()
    reversed_graph.add_nodes_from(reversed(list(seed_graph.nodes(data=True))))
    reversed_graph.add_edges_from(reversed(list(seed_graph.edges(keys=True, data=True))))
    again = render_html(page_data(reversed_graph, select(reversed_graph), "graph.graphml"))
    assert again == seed_page


def test_view_draws_every_node_and_relationship_of_the_seed_graph(seed_graph, seed_page):
    data = _data_of(seed_page)
    assert len(data["nodes"]) == seed_graph.number_of_nodes()
    assert len(data["edges"]) == seed_graph.number_of_edges()
    assert data["leftOut"] == {}
    positions = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(positions) > 0.99 * len(data["nodes"]), "nodes piled on one another"


def test_view_evidence_marks_exactly_the_span_the_offsets_give(seed_graph, seed_page):
    data = _data_of(seed_page)
    keys = [n["key"] for n in data["nodes"]]
    checked = 0
    for edge in data["edges"]:
        source, target = keys[edge["s"]], keys[edge["t"]]
        props = seed_graph.edges[source, target, edge["type"]]
        if "sentence" not in props:
            assert edge["evidence"] is None
            continue
        before, span, after = edge["evidence"]
        text = seed_graph.nodes[source][props["field"]]
        assert before + span + after == props["sentence"]
        assert span == text[props["start"]:props["end"]]
        checked += 1
    assert checked > 2500


def test_view_evidence_offsets_count_characters_not_utf16_units(hostile_graph):
    data = page_data(hostile_graph, select(hostile_graph), "t")
    keys = [n["key"] for n in data["nodes"]]
    uses = next(e for e in data["edges"] if keys[e["t"]] == "method:foonet")
    assert uses["evidence"][1] == "FooNet here"
    assert uses["evidence"][0].endswith("\U0001f600 and ")


def test_view_colours_are_those_of_the_browser_style():
    grass = (ROOT / "schemas" / "kg.grass").read_text(encoding="utf-8")
    styles = {}
    for label, body in re.findall(r"node\.(\w+)\s*\{(.*?)\}", grass, re.S):
        props = dict(re.findall(r"([\w-]+):\s*([^;]+);", body))
        styles[label] = (props["color"], props["border-color"], props["text-color-internal"])
    assert styles == LABEL_COLOURS


# ---- neighbourhoods and the node limit -----------------------------------------------------

@pytest.mark.parametrize(("depth", "expected"), [
    (1, {"method:foonet", "paper:a", "paper:b"}),
    (2, {"method:foonet", "paper:a", "paper:b", "dataset:barset"}),
    (3, {"method:foonet", "paper:a", "paper:b", "dataset:barset", "paper:c"}),
])
def test_view_neighbourhood_follows_links_both_ways_to_the_depth(chain, depth, expected):
    assert set(select(chain, ["method:foonet"], depth).nodes) == expected


@pytest.mark.parametrize("name", ["FooNet", "foo-net", "Foo Network", "method:foonet", "foonet"])
def test_view_around_resolves_names_aliases_and_keys_like_explain(chain, name):
    assert find_nodes(chain, name) == ["method:foonet"]


def test_view_around_a_paper_by_title_or_key(chain):
    assert find_nodes(chain, "paper b") == ["paper:b"]
    assert find_nodes(chain, "paper:c") == ["paper:c"]
    assert set(select(chain, find_nodes(chain, "Paper C"), 1).nodes) == {"paper:c", "dataset:barset"}


def test_view_around_nothing_is_an_input_error(chain, tmp_path):
    with pytest.raises(InputError, match="nothing named 'NoSuchNet'"):
        write_view(chain, tmp_path / "v.html", around="NoSuchNet")
    assert not (tmp_path / "v.html").exists()


def test_view_max_nodes_keeps_the_most_connected_and_says_what_it_left_out(chain):
    selection = select(chain, max_nodes=3)
    assert selection.nodes == ["dataset:barset", "method:foonet", "paper:b"]  # degrees 2, 2, 2; then A, C: 1
    assert selection.left_out == {"Paper": 3}
    assert selection.left_out_edges == 2
    data = page_data(chain, selection, "t")
    assert data["leftOut"] == {"Paper": 3} and data["candidates"] == 6 and data["leftOutEdges"] == 2


def test_view_max_nodes_around_keeps_the_centre_and_the_nearest_first(chain):
    selection = select(chain, ["paper:c"], depth=3, max_nodes=2)
    assert selection.nodes == ["dataset:barset", "paper:c"]
    assert selection.left_out == {"Method": 1, "Paper": 1}


# ---- safety: hostile text, nothing external ------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def test_view_hostile_text_stays_data(hostile_graph, tmp_path):
    path = tmp_path / "evil.html"
    write_view(hostile_graph, path, source_name=HOSTILE)
    page = path.read_text(encoding="utf-8")
    tags = _tags(page)
    assert [t for t, _ in tags].count("script") == 2  # the data element and kg's script, nothing injected
    assert not [t for t, _ in tags if t == "img"]
    assert page.count("</script>") == 2
    data_text = re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1)
    assert "\u2028" not in data_text and "<" not in data_text  # a JavaScript line break, a tag
    data = _data_of(page)
    assert data["title"] == HOSTILE
    assert {n["name"] for n in data["nodes"]} >= {HOSTILE, "FooNet"}
    assert f"<title>{HOSTILE}</title>" not in page and "&lt;/script&gt;" in page


def test_view_script_never_parses_data_as_html():
    script = (ROOT / "kg" / "resources" / "view" / "view.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


def test_view_page_references_nothing_outside_itself(seed_page):
    for tag, attrs in _tags(seed_page):
        for name in ("src", "href", "srcset", "action", "data", "poster"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value or value.startswith(("data:", "#")), f"<{tag} {name}={value!r}>"
    resources = ROOT / "kg" / "resources" / "view"
    for file in resources.iterdir():
        text = file.read_text(encoding="utf-8")
        assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(", text), file.name


def test_view_content_security_policy_allows_only_its_own_script(seed_page):
    meta = [a for t, a in _tags(seed_page) if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    policy = meta[0]["content"]
    assert "default-src 'none'" in policy
    script = re.findall(r"<script>(.*?)</script>", seed_page, re.S)
    assert len(script) == 1
    digest = base64.b64encode(hashlib.sha256(script[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy


# ---- the command -----------------------------------------------------------------------------

def test_cli_view_writes_a_neighbourhood(seed_graphml, tmp_path):
    out = tmp_path / "clip.html"
    result = runner.invoke(app, ["view", str(seed_graphml), "--around", "CLIP", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    data = _data_of(out.read_text(encoding="utf-8"))
    assert "method:clip" in [data["nodes"][i]["key"] for i in data["centres"]]
    assert 20 < len(data["nodes"]) < 500


def test_cli_view_max_nodes_says_what_it_left_out(seed_graphml, tmp_path):
    out = tmp_path / "top.html"
    result = runner.invoke(app, ["view", str(seed_graphml), "--max-nodes", "100", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "100 nodes" in result.output and "left out 2298 less connected nodes" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--around", "NoSuchNet"], "nothing named 'NoSuchNet'"),
    (["-o", "graph.graphml"], "kg view writes HTML"),
])
def test_cli_view_errors_are_one_line_with_exit_code_2(seed_graphml, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["view", str(seed_graphml), *args])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_view_unwritable_output_is_an_output_error(chain, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError):
        write_view(chain, blocker / "v.html")


# ---- in a real browser ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Debian's chromedriver; Selenium Manager (which downloads) is never run."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.selenium_manager import SeleniumManager
    except ImportError:
        missing.append("selenium (pip install -e '.[dev]')")
    if missing:
        if os.environ.get("KG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KG_REQUIRE_BROWSER=1 but missing: {', '.join(missing)} (apt-get install chromium "
                        "chromium-driver)")
        pytest.skip(f"no headless browser: missing {', '.join(missing)}")

    def no_downloads(*_args, **_kwargs):
        raise AssertionError("Selenium Manager was asked for a driver")

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,800", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SeleniumManager, "binary_paths", no_downloads)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def _open(driver, path: Path) -> None:
    from selenium.webdriver.support.wait import WebDriverWait

    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))


def _console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def _pixel(driver, x: float, y: float) -> str:
    """The colour drawn at (x, y) of the canvas, read after the next frame (the page draws in frames)."""
    return driver.execute_async_script(
        "const [x, y, done] = arguments;"
        "requestAnimationFrame(() => requestAnimationFrame(() => {"
        "  const c = document.getElementById('graph'); const r = devicePixelRatio || 1;"
        "  const p = c.getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data;"
        "  done('#' + [p[0], p[1], p[2]].map(v => v.toString(16).padStart(2, '0')).join('').toUpperCase());"
        "}));",
        x, y)


def _click_canvas(driver, x: float, y: float) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    canvas = driver.find_element(By.ID, "graph")
    width, height = driver.execute_script("const c = arguments[0]; return [c.clientWidth, c.clientHeight];", canvas)
    ActionChains(driver).move_to_element_with_offset(canvas, round(x - width / 2), round(y - height / 2)).click().perform()


@pytest.mark.browser
def test_browser_seed_graph_draws_and_search_finds_a_node(browser, seed_page, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    path = tmp_path / "graph.html"
    path.write_text(seed_page, encoding="utf-8")
    _open(browser, path)
    assert _console_errors(browser) == []
    assert browser.find_element(By.ID, "counts").text.startswith("2398 nodes")
    legend = browser.find_element(By.ID, "legend").text
    assert "Paper" in legend and "464" in legend

    search = browser.find_element(By.ID, "search")
    search.send_keys("Contrastive Language-Image Pre-training")  # an alias of CLIP
    hits = browser.find_element(By.ID, "hits")
    assert hits.is_displayed() and "CLIP" in hits.text.splitlines()[0]
    search.send_keys(Keys.ENTER)
    assert browser.execute_script("return kgView.selected()") == "method:clip"
    assert browser.find_element(By.ID, "panel-name").text == "CLIP"
    x, y = browser.execute_script("return kgView.screenPosition('method:clip')")
    width, height = browser.execute_script("const c = document.getElementById('graph'); return [c.clientWidth, c.clientHeight];")
    assert abs(x - width / 2) < 2 and abs(y - height / 2) < 2, "the found node is not centred"
    assert _pixel(browser, x, y) == LABEL_COLOURS["Method"][0], "the canvas did not draw the node"
    assert _console_errors(browser) == []


@pytest.mark.browser
def test_browser_click_a_node_shows_its_evidence(browser, seed_graph, seed_graphml, tmp_path):
    from selenium.webdriver.common.by import By

    path = tmp_path / "clip.html"
    write_view(seed_graph, path, around="method:clip", source_name=seed_graphml.name)
    _open(browser, path)
    assert _console_errors(browser) == []
    paper, _, props = next((p, t, d) for p, t, k, d in sorted(seed_graph.in_edges("method:clip", keys=True, data=True))
                           if k == "USES")
    x, y = browser.execute_script("return kgView.screenPosition(arguments[0])", paper)
    assert _pixel(browser, x, y) == LABEL_COLOURS["Paper"][0]

    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(browser).move_to_element(browser.find_element(By.ID, "graph")).perform()
    _click_canvas(browser, x, y)
    assert browser.execute_script("return kgView.selected()") == paper
    panel = browser.find_element(By.ID, "panel")
    assert panel.is_displayed()
    assert browser.find_element(By.ID, "panel-name").text == seed_graph.nodes[paper]["title"]
    marks = [m.text for m in panel.find_elements(By.CSS_SELECTOR, ".rel mark")]
    span = seed_graph.nodes[paper][props["field"]][props["start"]:props["end"]]
    assert span in marks
    quotes = [q.text for q in panel.find_elements(By.CSS_SELECTOR, ".rel blockquote")]
    assert props["sentence"] in quotes
    tooltip = browser.find_element(By.ID, "tooltip")
    assert tooltip.is_displayed() and seed_graph.nodes[paper]["title"][:30] in tooltip.text  # hover shows the name
    assert _console_errors(browser) == []


@pytest.mark.browser
def test_browser_hostile_text_is_shown_not_run(browser, hostile_graph, tmp_path):
    from selenium.webdriver.common.by import By

    path = tmp_path / "evil.html"
    write_view(hostile_graph, path, around="paper:evil", source_name=HOSTILE)
    _open(browser, path)
    assert browser.execute_script("return window.__pwned") is None
    assert browser.execute_script("return document.querySelectorAll('img, script:not([id])').length") == 1  # kg's own
    assert browser.find_element(By.ID, "panel-name").get_attribute("textContent") == HOSTILE
    assert HOSTILE in browser.find_element(By.ID, "title").get_attribute("textContent")
    assert _console_errors(browser) == []
