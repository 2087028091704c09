"""Delivery: feeds, sitemap, share metadata, share links and every channel-tagged link,
checked on the built example site and against the content files read independently."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

import feedparser
import pytest
import yaml

from conftest import AS_OF, MINIMAL_CASE, REPO, casebook, write
from content import cases, front_matter, internal_values, public

SITE = "https://stories.lumora.example/"
DAY = date.fromisoformat(AS_OF)
CHANNELS = yaml.safe_load(re.search(r"      channels:.*?\n((?:        .*\n)+)", (REPO / "mkdocs.yml").read_text()).group(1).replace("        ", ""))


def items() -> dict[str, dict]:
    """Every public item of the example as {page URL: front matter + kind}."""
    found = {f"{SITE}cases/{slug}/": {**meta, "kind": "case"} for slug, meta in cases().items() if public(meta, DAY)}
    for kind, folder in (("whitepaper", "whitepapers"), ("kit", "kits")):
        for path in sorted(p for p in (REPO / folder).glob("*.md") if "." not in p.stem):  # not translations
            meta = front_matter(path)
            if meta["status"] == "published" and (meta.get("publish_on") is None or meta["publish_on"] <= DAY):
                found[f"{SITE}{folder}/{path.stem}/"] = {**meta, "kind": kind}
    return found


def in_segment(meta: dict, facet: str, key: str) -> bool:
    if facet == "roles":
        return key in meta["roles"]
    industries = {"case": lambda: [meta["customer"]["industry"]], "kit": lambda: [meta["industry"]],
                  "whitepaper": lambda: meta["industries"]}[meta["kind"]]()
    return key in industries or "all" in industries


def canonical(url: str) -> str:
    return url.split("?")[0]


def utm(url: str) -> dict[str, str]:
    return {k: v for k, v in parse_qsl(urlsplit(url).query) if k.startswith("utm_")}


def expected_utm(channel: str, kind: str, slug: str) -> dict[str, str]:
    spec = CHANNELS[channel]
    return {"utm_source": spec["utm_source"], "utm_medium": spec["utm_medium"],
            "utm_campaign": spec.get("utm_campaign", "{kind}-{slug}").format(kind=kind, slug=slug)}


@pytest.mark.parametrize("key", ["all", "industries/retail", "industries/healthcare", "industries/software",
                                 "roles/decision-maker", "roles/administrator", "roles/business-user"])
def test_feeds_parse_and_list_exactly_the_public_items_of_their_segment(example_site: Path, key: str) -> None:
    expected = {url for url, meta in items().items() if key == "all" or in_segment(meta, *key.split("/"))}
    atom = feedparser.parse((example_site / f"feeds/{key}.atom.xml").read_bytes())
    assert not atom.bozo, atom.get("bozo_exception")
    assert {entry.id for entry in atom.entries} == expected
    assert all(entry.summary and entry.updated for entry in atom.entries)
    document = json.loads((example_site / f"feeds/{key}.json").read_text("utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"{SITE}feeds/{key}.json"
    assert {item["id"] for item in document["items"]} == expected
    dates = [item["date_published"] for item in document["items"]]
    assert dates == sorted(dates, reverse=True)


def test_every_feed_link_is_tagged_for_the_feed_channel(example_site: Path) -> None:
    for path in (example_site / "feeds").rglob("*.json"):
        for item in json.loads(path.read_text("utf-8"))["items"]:
            kind, slug = urlsplit(item["id"]).path.strip("/").split("/")
            assert utm(item["url"]) == expected_utm("feed", {"cases": "case", "whitepapers": "whitepaper", "kits": "kit"}[kind], slug)
            assert canonical(item["url"]) == item["id"]


def test_hub_pages_link_their_feeds(example_site: Path) -> None:
    html = (example_site / "industries/retail/index.html").read_text("utf-8")
    assert '<link rel="alternate feed" type="application/atom+xml" title="Lumora Customer Stories: Retail" href="../../feeds/industries/retail.atom.xml">' in html
    assert 'type="application/feed+json"' in html and "../../feeds/industries/retail.json" in html
    assert 'href="feeds/all.atom.xml"' in (example_site / "index.html").read_text("utf-8")


def test_sitemap_is_valid_xml_listing_exactly_the_public_pages(example_site: Path) -> None:
    root = ET.fromstring((example_site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in root.findall("s:url", ns)}
    pages = {SITE + p.parent.relative_to(example_site).as_posix().replace(".", "", 1).lstrip("/") + "/"
             for p in example_site.rglob("index.html")}
    pages = {p.replace(SITE + "/", SITE) for p in pages}
    chinese = {page for page in pages if page.startswith(f"{SITE}zh/")}  # the Chinese site lists its own
    zh = ET.fromstring((example_site / "zh" / "sitemap.xml").read_bytes())
    assert {u.findtext("s:loc", namespaces=ns) for u in zh.findall("s:url", ns)} == chinese
    assert set(entries) == pages - chinese
    for url, meta in items().items():
        assert url in entries
        if meta["kind"] == "case":
            assert entries[url] == meta["date"].isoformat()  # the content's date, not the build day
    hidden = {f"{SITE}cases/{slug}/" for slug, meta in cases().items() if not public(meta, DAY)}
    assert hidden and not hidden & set(entries)
    robots = (example_site / "robots.txt").read_text("utf-8")
    assert robots == f"User-agent: *\nAllow: /\nSitemap: {SITE}sitemap.xml\nSitemap: {SITE}zh/sitemap.xml\n"


def test_case_page_share_metadata_and_json_ld(example_site: Path) -> None:
    html = (example_site / "cases/northwind-grocers-shelf-gaps/index.html").read_text("utf-8")
    meta = cases()["northwind-grocers-shelf-gaps"]
    url = f"{SITE}cases/northwind-grocers-shelf-gaps/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'<meta property="og:title" content="{meta["title"]}">' in html
    assert f'<meta property="og:description" content="{meta["summary"]}">' in html
    card = f"{SITE}assets/casebook/cards/case-northwind-grocers-shelf-gaps.png"
    assert f'<meta property="og:image" content="{card}">' in html and '<meta name="twitter:card" content="summary_large_image">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert data["@type"] == "Article" and data["headline"] == meta["title"] and data["url"] == url
    assert data["about"] == {"@type": "Organization", "name": meta["customer"]["name"], "url": meta["customer"]["website"]}
    assert data["datePublished"] == meta["date"].isoformat() and data["image"] == card


def test_white_paper_json_ld_names_its_authors(example_site: Path) -> None:
    html = (example_site / "whitepapers/retail-benchmark-2026/index.html").read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    authors = front_matter(REPO / "whitepapers/retail-benchmark-2026.md")["authors"]
    assert data["@type"] == "Article" and [a["name"] for a in data["author"]] == authors


def test_share_links_carry_exactly_their_channels_parameters(example_site: Path) -> None:
    html = (example_site / "cases/northwind-grocers-shelf-gaps/index.html").read_text("utf-8")
    links = {m.group(2): unescape(m.group(1)) for m in re.finditer(r'<a class="cb-share__link" href="([^"]+)"[^>]*data-cb-network="(\w+)"', html)}
    assert set(links) == {"linkedin", "x", "email"}
    shared = {"linkedin": parse_qs(urlsplit(links["linkedin"]).query)["url"][0],
              "x": parse_qs(urlsplit(links["x"]).query)["url"][0],
              "email": unquote(urlsplit(links["email"]).query).rsplit("\n", 1)[-1]}
    for network, url in shared.items():
        channel = "sales-email" if network == "email" else network
        assert canonical(url) == f"{SITE}cases/northwind-grocers-shelf-gaps/"
        assert utm(url) == expected_utm(channel, "case", "northwind-grocers-shelf-gaps"), network
    assert links["linkedin"].startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert links["x"].startswith("https://x.com/intent/post?text=")
    assert '<summary class="cb-share__link" data-cb-event="share"' in html and 'alt="QR code of this page for WeChat"' in html


def test_tagging_keeps_existing_query_and_fragment() -> None:
    from builder.content.settings import Channel
    from builder.channels.links import tagged

    channel = Channel(utm_source="linkedin", utm_medium="social")
    url = tagged("https://a.example/p/?ref=partner&utm_source=old&flag&utm_content=hero#results", channel, "case", "acme")
    parts = urlsplit(url)
    assert parts.query == "ref=partner&flag&utm_source=linkedin&utm_medium=social&utm_campaign=case-acme"
    assert parts.fragment == "results"


def test_quote_wall_lists_every_public_quote_with_its_case(example_site: Path) -> None:
    html = (example_site / "quotes/index.html").read_text("utf-8")
    quoted = {slug: meta for slug, meta in cases().items() if public(meta, DAY) and meta.get("quote")}
    assert html.count('class="cb-quote cb-quote--card"') == len(quoted) > 10
    for slug, meta in quoted.items():
        assert f'href="../cases/{slug}/"' in html
        assert meta["quote"]["author"] in unescape(html)
    for slug, meta in cases().items():
        if not public(meta, DAY) and meta.get("quote"):
            assert meta["quote"]["text"][:40] not in unescape(html)


# --- exports -------------------------------------------------------------------------

HOSTILE_TITLE = "Ｓｈｅｎｚｈｅｎ零售商把缺货率降低了一半的故事" * 4 + " " + "Supercalifragilistic" * 30 + " 👩‍👩‍👧‍👦🇨🇳 done"
HOSTILE_SUMMARY = "深圳的一家零售商把缺货率降低了一半。" * 6 + " 👩🏽‍💻 " + "x" * 120


def hostile(project: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE)
    write(project, "cases/hostile.md", MINIMAL_CASE.replace('title: "How Acme Widgets halved returns"', f'title: "{HOSTILE_TITLE}"')
          .replace('summary: "Acme Widgets cut product returns in half with one shared workflow."', f'summary: "{HOSTILE_SUMMARY[:270]}"')
          .replace("date: 2025-05-01", "date: 2025-06-01"))
    write(project, "cases/hidden.md", MINIMAL_CASE.replace("Acme Widgets", "Zanzibar Secret Holdings").replace("status: approved", "status: draft"))


def words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text))


def test_post_drafts_respect_every_limit_on_hostile_input(project: Path) -> None:
    from twitter_text import parse_tweet

    hostile(project)
    run = casebook("export", "posts", "--as-of", AS_OF, "--format", "json", cwd=project)
    assert run.returncode == 0, run.output
    posts = json.loads(run.stdout)
    assert {p["channel"] for p in posts} == {"linkedin", "x", "wechat"}
    assert {p["slug"] for p in posts} == {"acme", "hostile"}  # never the draft
    for post in posts:
        limit = {"linkedin": 3000, "x": 280, "wechat": 300}[post["channel"]]
        size = parse_tweet(post["text"]).weightedLength if post["channel"] == "x" else len(post["text"].encode("utf-16-le")) // 2
        assert size <= limit == post["limit"], post
        assert post["text"].endswith(post["link"])  # the link is whole, and last
        assert utm(post["link"]) == expected_utm(post["channel"], "case", post["slug"])
        body = post["text"][: -len(post["link"])]
        # never cut mid-word: every Latin word in the draft is a whole word of the source
        assert words(body) <= words(HOSTILE_TITLE + " " + HOSTILE_SUMMARY + " How Acme Widgets halved returns "
                                    "Acme Widgets cut product returns in half with one shared workflow"), post
        assert "\ufffd" not in body and "\u200d…" not in body  # no broken emoji sequence
    x = next(p for p in posts if p["channel"] == "x" and p["slug"] == "hostile")
    assert "…" in x["text"] and x["image"] == "assets/casebook/cards/case-hostile.png"


def test_post_csv_round_trips_and_filters_by_channel_and_date(project: Path) -> None:
    import csv
    import io

    hostile(project)
    run = casebook("export", "posts", "--as-of", AS_OF, "--channel", "x", "--since", "2025-05-15", cwd=project)
    assert run.returncode == 0, run.output
    rows = list(csv.reader(io.StringIO(run.stdout, newline="")))
    assert rows[0] == ["Date", "Text", "Link(s)", "Media URL(s)", "Title", "Label(s)"]
    as_json = json.loads(casebook("export", "posts", "--as-of", AS_OF, "--channel", "x", "--since", "2025-05-15",
                                  "--format", "json", cwd=project).stdout)
    assert [row[1] for row in rows[1:]] == [p["text"] for p in as_json] and len(as_json) == 1  # acme is older
    assert rows[1][3] == "https://stories.lumora.example/assets/casebook/cards/case-hostile.png"
    bad = casebook("export", "posts", "--as-of", AS_OF, "--channel", "linkdin", cwd=project)
    assert bad.returncode == 1 and "did you mean 'linkedin'" in bad.stderr and "Traceback" not in bad.output


def test_digest_lists_new_items_of_the_segment_tagged_for_the_newsletter(project: Path) -> None:
    hostile(project)
    write(project, "cases/factory.md", MINIMAL_CASE.replace("Acme Widgets", "Bolt Forge").replace("industry: retail", "industry: manufacturing")
          .replace("date: 2025-05-01", "date: 2025-07-01"))
    run = casebook("export", "digest", "--as-of", AS_OF, "--since", "2025-05-15", "--industry", "retail", cwd=project)
    assert run.returncode == 0, run.output
    html = run.stdout
    assert html.startswith("<table") and "<style" not in html and 'style="' in html
    links = set(re.findall(r'href="([^"]+)"', html))
    assert {canonical(unescape(link)) for link in links} == {f"{SITE}cases/hostile/"}  # not acme (older), not factory (industry)
    for link in links:
        assert utm(unescape(link)) == expected_utm("newsletter", "case", "hostile")
    assert "Zanzibar" not in html
    everyone = casebook("export", "digest", "--as-of", AS_OF, "--since", "2025-01-01", cwd=project).stdout
    assert "Bolt Forge" in everyone and "Acme Widgets" in everyone and "Zanzibar" not in everyone
    bad = casebook("export", "digest", "--as-of", AS_OF, "--since", "2025-01-01", "--role", "administrater", cwd=project)
    assert bad.returncode == 1 and "did you mean 'administrator'" in bad.stderr


def test_exports_on_the_example_content_hold_no_hidden_item(tmp_path: Path) -> None:
    from conftest import copy_project

    project = copy_project(tmp_path / "example")
    hidden = [meta["customer"]["name"] for meta in cases().values() if not public(meta, DAY)]
    hidden += [value for meta in cases().values() for value in internal_values(meta.get("internal")) if len(value) >= 8]
    assert len(hidden) > 10
    outputs = [casebook("export", "posts", "--as-of", AS_OF, cwd=project),
               casebook("export", "posts", "--as-of", AS_OF, "--format", "json", cwd=project),
               casebook("export", "digest", "--as-of", AS_OF, "--since", "2000-01-01", cwd=project)]
    for run in outputs:
        assert run.returncode == 0, run.output
        assert run.stdout.count("stories.lumora.example") > 20
        for name in hidden:
            assert name not in run.stdout


def test_formula_like_text_is_inert_in_the_posts_csv(project: Path) -> None:
    import csv
    import io

    write(project, "cases/acme.md", MINIMAL_CASE.replace('title: "How Acme Widgets halved returns"',
                                                         'title: "=HYPERLINK(\\"http://evil.example/\\",\\"Click\\")"'))
    run = casebook("export", "posts", "--as-of", AS_OF, "--channel", "linkedin", cwd=project)
    assert run.returncode == 0, run.output
    row = list(csv.reader(io.StringIO(run.stdout, newline="")))[1]
    assert row[1].startswith("'=HYPERLINK(") and row[4].startswith("'=HYPERLINK(")


def test_drafts_keep_a_fitting_headline_whole_and_never_end_inside_a_hyphenated_word(project: Path) -> None:
    headline = "A " + "state-of-the-art " * 8 + "finish"  # 144 characters: fits X and WeChat with the link
    write(project, "cases/acme.md", MINIMAL_CASE.replace('title: "How Acme Widgets halved returns"', f'title: "{headline}"')
          .replace('summary: "Acme Widgets cut product returns in half with one shared workflow."',
                   'summary: "' + "Best-in-class anti\u00addis\u00adestab\u00adlish\u00adment " * 5 + '"'))
    write(project, "cases/long.md", MINIMAL_CASE.replace('title: "How Acme Widgets halved returns"', f'title: "{headline}"')
          .replace('summary: "Acme Widgets cut product returns in half with one shared workflow."',
                   'summary: "' + "Supercalifragilisticexpialidocious-and-then-some-more " * 4 + '"'))
    posts = json.loads(casebook("export", "posts", "--as-of", AS_OF, "--format", "json", cwd=project).stdout)
    for post in posts:
        assert post["text"].startswith(headline + "\n\n") and post["text"].endswith(post["link"]), post["text"]
        assert not re.search(r"(-|\u00ad)…", post["text"])
    x_long = next(p for p in posts if p["channel"] == "x" and p["slug"] == "long")
    assert x_long["text"] == headline + "\n\n" + x_long["link"]  # no summary start fits, the headline stays whole
    wechat = next(p for p in posts if p["channel"] == "wechat" and p["slug"] == "acme")
    assert re.search(r"Best-in-class (anti\u00addis\u00adestab\u00adlish\u00adment|…)", wechat["text"])
    assert re.search(r"(ment|class)…\n\n", wechat["text"])  # cut after a whole word


def test_a_robots_txt_in_docs_wins_and_a_sub_path_site_gets_none(project: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE)
    write(project, "docs/robots.txt", "User-agent: *\nDisallow: /drafts/\n")
    assert casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=project).returncode == 0
    assert (project / "site/robots.txt").read_text() == "User-agent: *\nDisallow: /drafts/\n"
    (project / "docs/robots.txt").unlink()
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url: https://stories.lumora.example/", "site_url: https://lumora.example/customers/"))
    assert casebook("build", "--as-of", AS_OF, "--no-pdf", cwd=project).returncode == 0
    assert not (project / "site/robots.txt").exists()
    feed = json.loads((project / "site/feeds/industries/retail.json").read_text())
    assert feed["home_page_url"] == "https://lumora.example/customers/industries/retail/"
    assert feed["items"][0]["content_text"] and feed["items"][0]["id"] == "https://lumora.example/customers/cases/acme/"


def test_escaped_control_characters_are_located_errors(project: Path) -> None:
    write(project, "cases/acme.md", MINIMAL_CASE.replace('title: "How Acme Widgets halved returns"', 'title: "Vertical\\vtab"'))
    run = casebook("validate", "--as-of", AS_OF, cwd=project)
    assert run.returncode == 1 and "cases/acme.md:2: error: text contains the invisible character U+000B" in run.stdout
