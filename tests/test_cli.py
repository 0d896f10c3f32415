"""The `crosscheck` command as a user runs it (Typer's in-process runner, real files)."""

import json

from typer.testing import CliRunner

from crosscheck.cli import app

from tests.conftest import FIXTURES

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_ingest_then_stories_json_shows_one_story_with_both_seeds(db_url, seed_dir):
    result = run("ingest", seed_dir, "--db", db_url, "--quiet")
    assert result.exit_code == 0, result.output
    stories = json.loads(run("stories", "--json", "--db", db_url).stdout)
    assert len(stories) == 1
    inputs = sorted(a["input"].rsplit("/", 1)[-1] for a in stories[0]["articles"])
    assert inputs == ["000_9d221667dedf9bc9.txt", "003_34eb58105dafcdaf.txt"]
    flags = {a["input"].rsplit("/", 1)[-1][:3]: a["provenance"] for a in stories[0]["articles"]}
    assert flags["003"]["ai_generated"] and flags["000"]["opinion"]


def test_failed_inputs_print_one_error_line_each_and_exit_1(tmp_path):
    db = tmp_path / "c.db"
    result = run("ingest", FIXTURES / "bad", tmp_path / "nope.txt", "--db", db, "--quiet")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert any("photo.png" in e for e in errors)
    assert any("truncated-page.html" in e for e in errors)
    assert any("nope.txt" in e for e in errors)
    assert any("mixed.jsonl" in e for e in errors)


def test_story_json_has_entities_timeline_and_claim_groups(tmp_path, seed_dir):
    db = tmp_path / "c.db"
    run("ingest", seed_dir, "--db", db, "--quiet")
    story_id = json.loads(run("stories", "--json", "--db", db).stdout)[0]["id"]
    data = json.loads(run("story", story_id, "--json", "--db", db).stdout)
    assert {"entities", "timeline", "claim_groups", "summary", "articles"} <= set(data)
    assert run("story", "no-such-story", "--db", db).exit_code == 1


def test_write_prints_a_summary_whose_sentences_cite_sources(tmp_path, seed_dir):
    db = tmp_path / "c.db"
    run("ingest", seed_dir, "--db", db, "--quiet")
    story_id = json.loads(run("stories", "--json", "--db", db).stdout)[0]["id"]
    written = json.loads(run("write", story_id, "--json", "--db", db).stdout)
    assert written["summary"] and all(s["citations"] for s in written["summary"])
    assert len(written["seo_title"]) <= 70 and len(written["meta_description"]) <= 160


def test_demo_builds_a_fresh_database_from_the_bundled_corpus(tmp_path):
    db = tmp_path / "demo.db"
    db.write_text("not a database")  # replaced, not appended to
    result = run("demo", "--db", db, "--no-serve", "--quiet")
    assert result.exit_code == 0, result.output
    stories = json.loads(run("stories", "--json", "--db", db, "--limit", "500").stdout)
    assert len(stories) > 5
    seeds = [s for s in stories if any("003_34eb" in a["input"] for a in s["articles"])]
    assert len(seeds) == 1 and len(seeds[0]["articles"]) == 2


def test_unknown_setting_in_config_file_is_a_clear_error(tmp_path):
    config = tmp_path / "crosscheck.toml"
    config.write_text('summary_sentense = 3\n')
    result = run("stories", "--config", config, "--db", tmp_path / "c.db")
    assert result.exit_code == 2
    assert "unknown setting 'summary_sentense'" in result.stderr


def test_extract_shows_what_ingest_would_store_without_storing(tmp_path, seed_dir):
    result = run("extract", seed_dir / "003_34eb58105dafcdaf.txt", "--json")
    assert result.exit_code == 0
    [article] = json.loads(result.stdout)
    assert article["provenance"]["ai_generated"]
    assert "Related Articles" not in article["text"]
    assert not list(tmp_path.iterdir())


def test_extract_reports_a_non_page_input_as_one_error_line(tmp_path):
    result = run("extract", FIXTURES / "bad" / "photo.png")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("error: ")
