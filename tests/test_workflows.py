"""The GitHub Actions workflows: valid (GitHub's workflow schema), every action pinned to a
full commit SHA with its release in a comment, least privilege, no credentials left behind,
and the same `make` targets the README tells people to run."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PR, DEPLOY = WORKFLOWS / "pull-request.yml", WORKFLOWS / "deploy.yml"
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", re.M)


def load(path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # PyYAML (YAML 1.1) reads the key `on` as True
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(workflow: dict) -> list[str]:
    return [s["run"].strip() for job in workflow["jobs"].values() for s in steps(job) if "run" in s]


def readme_make_targets() -> set[str]:
    """Targets the README tells people to run: `make X` in text and `make X` lines in code."""
    found = re.findall(r"`make (\w+)`|^make (\w+)", (ROOT / "README.md").read_text(encoding="utf-8"), re.M)
    return {t for pair in found for t in pair if t}


def test_both_workflows_exist_and_match_githubs_schema():
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == ["deploy.yml", "pull-request.yml"]
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(PR), str(DEPLOY)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_sha_with_its_release(path):
    found = USES.findall(path.read_text(encoding="utf-8"))
    assert found
    for ref, comment in found:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), f"{path.name}: {ref} needs its release as a comment (# vX.Y.Z)"
    actions = {ref.split("@")[0] for ref, _ in found}
    for job in load(path)["jobs"].values():
        for step in steps(job):
            if "uses" in step:
                assert step["uses"].split("@")[0] in actions


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=lambda p: p.name)
def test_checkout_keeps_no_credentials_and_no_job_sees_secrets(path):
    wf = load(path)
    checkouts = [s for job in wf["jobs"].values() for s in steps(job) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s.get("with", {}).get("persist-credentials") is False for s in checkouts)
    assert "secrets." not in path.read_text(encoding="utf-8")
    assert "pull_request_target" not in wf["on"]


def test_pull_request_runs_check_build_diff_test_and_keeps_a_preview():
    wf = load(PR)
    assert "pull_request" in wf["on"] and "closed" in wf["on"]["pull_request"]["types"]
    assert wf["permissions"] == {"contents": "read"}
    build = wf["jobs"]["check-build-test"]
    assert "permissions" not in build  # the job that runs the pull request's code stays read-only
    assert [s["run"] for s in steps(build) if "run" in s] == ["make check", "make build", "make diff", "make test"]
    [checkout] = [s for s in steps(build) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0  # the base branch is built too
    by_run = {s["run"]: s for s in steps(build) if "run" in s}
    # PDF links, QR codes and the catalog point into the preview, and so do the diff's builds
    assert by_run["make build"]["env"]["TOOLKIT_SITE_URL"] == by_run["make diff"]["env"]["TOOLKIT_SITE_URL"] == "${{ env.PREVIEW_URL }}"
    assert "pr-preview/pr-{1}/" in wf["env"]["PREVIEW_URL"] and "github.event.pull_request.number" in wf["env"]["PREVIEW_URL"]
    assert by_run["make diff"]["env"]["BASE"] == "${{ github.event.pull_request.base.sha }}"
    assert "--publish-dir site/changes" in by_run["make diff"]["env"]["DIFF_ARGS"]
    assert "TOOLKIT_SITE_URL" not in by_run["make test"].get("env", {})  # tests build for site.yml's address
    uploads = {s["with"]["name"]: s["with"]["path"].rstrip("/") for s in steps(build) if s.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads == {"site-preview": "site", "diff-report": "diff-report"}
    assert build["name"] == "Check, build and test"  # CONTRIBUTING.md tells editors this name
    assert f"**{wf['name']} / {build['name']}**" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_preview_is_published_from_the_artifact_commented_and_removed_on_close():
    wf = load(PR)
    preview = wf["jobs"]["preview"]
    assert preview["needs"] == "check-build-test"
    assert preview["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert "github.event.pull_request.head.repo.full_name == github.repository" in preview["if"]  # no fork PRs
    assert "github.event.action == 'closed'" in preview["if"]
    assert not any("run" in s for s in steps(preview)), "the job that may write runs no code from the pull request"
    [action] = [s for s in steps(preview) if s.get("uses", "").startswith("rossjrw/pr-preview-action@")]
    assert action["with"]["source-dir"].rstrip("/") == "site" and action["with"]["umbrella-dir"] == "pr-preview"
    assert action["with"]["action"] == "auto" and action["with"]["qr-code"] is False
    comments = [s for s in steps(preview) if s.get("uses", "").startswith("marocchino/sticky-pull-request-comment@")]
    assert {c["with"]["header"] for c in comments} == {"wbl-preview"}
    assert any(c["with"].get("path") == "diff-report/summary.md" for c in comments)
    assert preview["concurrency"]["group"] == load(DEPLOY)["concurrency"]["group"]


def test_deploy_builds_strictly_then_publishes_with_least_privilege_keeping_previews():
    wf = load(DEPLOY)
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert [s["run"] for s in steps(build) if "run" in s] == ["make build"]
    [upload] = [s for s in steps(build) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["path"].rstrip("/") == "site" and upload["with"]["include-hidden-files"] is True
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"contents": "write"}
    assert not any("run" in s for s in steps(deploy))
    [publish] = [s for s in steps(deploy) if s.get("uses", "").startswith("JamesIves/github-pages-deploy-action@")]
    assert publish["with"]["folder"] == "site" and publish["with"]["branch"] == "gh-pages"
    assert "pr-preview/" in publish["with"]["clean-exclude"].split()  # the main deploy keeps the previews


def test_the_build_leaves_nojekyll_for_branch_deploys(site):
    assert (site / ".nojekyll").is_file()


def test_workflows_run_the_readme_commands():
    """Every `make` target a workflow runs is one the README documents and the Makefile has,
    and `make build` there is the strict build (--strict in each site adapter, via python -m macros build)."""
    documented = readme_make_targets()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for path in (PR, DEPLOY):
        for command in runs(load(path)):
            target = re.fullmatch(r"make (\w+)", command)  # arguments come from the step's env
            assert target, f"{path.name}: '{command}' — workflows run the README's make targets only"
            assert target.group(1) in documented, f"{path.name}: make {target.group(1)} is not in README.md"
            assert re.search(rf"^{target.group(1)}:", makefile, re.M)
    assert re.search(r"^build: .*\n\t\$\(PY\) -m macros build$", makefile, re.M)
    # strict in each site adapter: MkDocs loads its configuration strictly (every language in
    # one process, macros/adapters/mkdocs_batch.py), Zensical gets --strict; test_safety shows
    # a broken link failing the build
    assert "strict=True" in (ROOT / "macros" / "adapters" / "mkdocs_batch.py").read_text(encoding="utf-8")
    assert '"--strict"' in (ROOT / "macros" / "adapters" / "zensical.py").read_text(encoding="utf-8")
