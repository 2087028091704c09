"""Generate a synthetic Casebook project with N valid, varied case studies, plus one
white paper per 100 cases and one solution kit per 200.

    python bench/generate.py 1000 /tmp/casebook-1000
    cd /tmp/casebook-1000 && casebook build --as-of 2026-11-23

Seeded, so the same N gives the same files. Case bodies run to about 600 words with
lists, a table, a quote and (one case in five) Chinese text. The project reuses this
repository's mkdocs.yml, templates and docs, and its example white papers and kits.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
INDUSTRIES = ["retail", "manufacturing", "healthcare", "financial-services", "logistics", "education", "software", "public-sector"]
SIZES = ["startup", "smb", "midmarket", "enterprise"]
ROLES = ["decision-maker", "administrator", "business-user"]
STAGES = ["cold-start", "accelerating", "steady"]
PRODUCTS = ["Lumora Flow", "Lumora Insight", "Lumora Connect", "Lumora Assist", "Lumora Guard"]
WORDS = ("operations team workflow shift store plant clinic warehouse order ticket audit report dashboard "
         "integration rollout training handover schedule backlog queue exception forecast compliance").split()
CJK = "我们把每天的交接从纸质表格搬到了统一的工作流里，门店经理第一次能实时看到每个任务的进度。"
CJK_WORDS = ("运营 团队 流程 班次 门店 工厂 诊所 仓库 订单 工单 审计 报表 看板 集成 上线 培训 交接 排班 积压 "
             "队列 异常 预测 合规 效率 质量 客户 数据 实时 协同 改进").split()


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def case(n: int, rng: random.Random) -> str:
    name = f"Synthetic {rng.choice(['Foods', 'Metals', 'Health', 'Freight', 'Bank', 'Labs', 'Schools'])} {n:05d}"
    meta = {
        "title": f"How {name} cut cycle time by {rng.randint(10, 70)}%",
        "summary": f"{name} replaced manual handovers with one workflow and measured the difference.",
        "date": f"{rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "customer": {"name": name, "industry": rng.choice(INDUSTRIES), "size": rng.choice(SIZES), "region": "Europe"},
        "roles": rng.sample(ROLES, rng.randint(1, 3)),
        "stage": rng.choice(STAGES),
        "products": rng.sample(PRODUCTS, rng.randint(1, 3)),
        "results": [{"metric": "Cycle time", "value": f"-{rng.randint(10, 70)}%", "before": "10 days", "after": "6 days"},
                    {"metric": "Hours saved per week", "value": str(rng.randint(5, 400))}],
        "quote": {"text": paragraph(rng, 25), "author": "Alex Example", "title": "COO"},
        "featured": n % 97 == 0,
        "approval": {"status": "approved" if n % 10 else "draft", "approved_by": "Alex Example",
                     "approved_on": "2024-01-15"},
        "internal": {"deal_size": f"EUR {rng.randint(20, 900)}k ARR, ref {n:05d}"},
    }
    table = "| Measure | Before | After |\n|---|---|---|\n| Cycle time | 10 days | 6 days |\n| Errors | 4% | 1% |"
    body = "\n\n".join([
        "## Challenge", paragraph(rng, 120), paragraph(rng, 80),
        "## Solution", paragraph(rng, 120), "- " + "\n- ".join(paragraph(rng, 10) for _ in range(4)),
        "## Results", paragraph(rng, 100), table, f"> {paragraph(rng, 20)}", CJK if n % 5 == 0 else paragraph(rng, 40),
    ])
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n" + body + "\n"


def chinese(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(CJK_WORDS) for _ in range(words)) + "。"


def translation(n: int, rng: random.Random) -> str:
    """A Chinese translation of synthetic case n: its own words and approval, the facts left to the default file."""
    meta = {
        "title": f"合成案例 {n:05d}：周期缩短{rng.randint(10, 70)}%",
        "summary": f"合成案例 {n:05d} 用统一的工作流取代了手工交接，并量化了成效。",
        "results": [{"metric": "周期"}, {"metric": "每周节省工时"}],
        "quote": {"text": chinese(rng, 30), "title": "首席运营官"},
        "approval": {"status": "approved", "approved_by": "王经理", "approved_on": "2024-02-01"},
    }
    body = "\n\n".join(["## 挑战", chinese(rng, 120), "## 解决方案", chinese(rng, 120),
                         "- " + "\n- ".join(chinese(rng, 10) for _ in range(4)), "## 成果", chinese(rng, 100)])
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n" + body + "\n"


def whitepaper_file(slug: str, rng: random.Random) -> str:
    meta = {"title": f"The {rng.choice(['Operations', 'Frontline', 'Compliance'])} Report {slug[-3:]}",
            "summary": "What hundreds of operations teams measured, and what the best of them do differently.",
            "date": f"{rng.randint(2024, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "industries": rng.sample(INDUSTRIES, 2) if rng.random() < 0.7 else ["all"],
            "roles": rng.sample(ROLES, rng.randint(1, 3)), "authors": ["Alex Example", "Sam Analyst"], "status": "published"}
    sections = [f"## {title}\n\n{paragraph(rng, 150)}\n\n{paragraph(rng, 120)}"
                for title in ("Executive summary", "Method", "Findings", "What the best do", "Recommendations")]
    table = "| Quartile | Cycle time | Errors |\n|---|---|---|\n| Top | 2 days | 1% |\n| Bottom | 9 days | 6% |"
    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n" + "\n\n".join(sections + [table]) + "\n"


def kit_file(n: int, rng: random.Random, papers: list[str]) -> str:
    industry = INDUSTRIES[n % len(INDUSTRIES)]
    meta = {"title": f"{industry.replace('-', ' ').title()} starter kit {n:03d}",
            "summary": "Peer cases, research and a rollout checklist for teams like yours.",
            "industry": industry, "roles": ["decision-maker", "administrator"], "status": "published",
            "select": {"industry": industry, "size": rng.choice(SIZES)}, "whitepapers": rng.sample(papers, min(2, len(papers)))}
    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n" + paragraph(rng, 80) + "\n"


def generate(count: int, target: Path, seed: int = 42, translated: float = 0.0) -> None:
    """translated: the share of cases with a Chinese translation; 0 makes a project of one
    language (without the example's `languages:` and its translations)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for item in ("mkdocs.yml", "site_templates", "docs", "whitepapers", "kits"):
        source = REPO / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / item)
    shutil.copytree(REPO / "cases/logos", target / "cases/logos")
    for kit in (target / "kits").glob("*.md"):  # kits name example cases by slug; keep only their filters
        text = kit.read_text("utf-8")
        kit.write_text("\n".join(line for line in text.split("\n") if not line.startswith("cases:")), "utf-8")
    if not translated:
        config = target / "mkdocs.yml"
        config.write_text(re.sub(r"^ *languages:.*\n", "", config.read_text("utf-8"), flags=re.M), "utf-8")
        for path in [*(target / "whitepapers").glob("*.*.md"), *(target / "kits").glob("*.*.md")]:
            path.unlink()
    rng, words = random.Random(seed), random.Random(seed + 1)  # the English files do not depend on `translated`
    for n in range(count):
        (target / "cases" / f"synthetic-case-{n:05d}.md").write_text(case(n, rng), "utf-8")
        if int((n + 1) * translated + 1e-9) > int(n * translated + 1e-9):  # evenly spread: 3 in 10 for 0.3
            (target / "cases" / f"synthetic-case-{n:05d}.zh.md").write_text(translation(n, words), "utf-8")
    papers = [f"synthetic-paper-{n:03d}" for n in range(max(1, count // 100))]
    for slug in papers:
        (target / "whitepapers" / f"{slug}.md").write_text(whitepaper_file(slug, rng), "utf-8")
    for n in range(max(1, count // 200)):
        (target / "kits" / f"synthetic-kit-{n:03d}.md").write_text(kit_file(n, rng, papers), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--translated", type=float, default=0.0, metavar="SHARE",
                        help="the share of cases also in Chinese, e.g. 0.3 (default 0: one language)")
    args = parser.parse_args()
    generate(args.count, args.target, args.seed, args.translated)
    print(f"wrote {args.count} cases to {args.target}")


if __name__ == "__main__":
    main()
