"""URLs in text: find them, normalise them, and tell code repositories from other links.

Pure functions; the spaCy component in kg.extract.pipeline wires them in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A URL with a scheme or "www.", or a bare code-host path ("github.com/owner/name").
_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"'{}|\\^`]+"
    r"|(?<![\w./@-])(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|hf\.co|doi\.org|arxiv\.org)"
    r"/[^\s<>\"'{}|\\^`]+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"~*]>"
CODE_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "huggingface.co"}
_HOST_ALIASES = {"hf.co": "huggingface.co", "www.github.com": "github.com", "www.huggingface.co": "huggingface.co"}
_SHORTENERS = {"bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "buff.ly", "is.gd", "t.ly", "rb.gy", "shorturl.at"}
_PAGE_HOST_SUFFIXES = (
    ".github.io",
    ".gitlab.io",
    ".netlify.app",
    ".vercel.app",
    ".pages.dev",
    ".readthedocs.io",
    "sites.google.com",
)
# Hugging Face paths that are not repositories.
_HF_NON_REPO = {"papers", "docs", "blog", "learn", "collections", "organizations", "settings", "join", "login", "posts"}
_GITHUB_NON_REPO = {"orgs", "topics", "features", "marketplace", "sponsors", "about", "settings", "collections"}


@dataclass(frozen=True, slots=True)
class FoundURL:
    start: int  # offsets of the URL as it stands in the text (after trimming punctuation)
    end: int
    url: str  # normalised: https scheme kept as written, host lower-case, no trailing "/"


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """What a URL points at: a repository (`repo_path` = host/owner/name) or another link."""

    url: str
    host: str
    kind: str  # repository | project-page | short-link | doi | arxiv | huggingface | other
    repo_path: str | None = None
    owner: str | None = None
    name: str | None = None

    @property
    def is_repository(self) -> bool:
        return self.repo_path is not None

    @property
    def key_path(self) -> str:
        """The part of a node key after its prefix: no scheme, no "www.", lower-cased host."""
        path = self.repo_path if self.repo_path is not None else self.url.split("://", 1)[-1]
        return path.removeprefix("www.").lower()


def _trim(raw: str) -> str:
    """Drop sentence punctuation, LaTeX leftovers and unbalanced closing brackets at the end."""
    while raw:
        last = raw[-1]
        if (
            last in _TRAILING
            or last == ")"
            and raw.count("(") < raw.count(")")
            or last == "}"
            and raw.count("{") < raw.count("}")
        ):
            raw = raw[:-1]
        else:
            break
    return raw


def find_urls(text: str) -> list[FoundURL]:
    """Every URL in `text` with its offsets; LaTeX `\\url{..}` wrappers are left outside the span."""
    found = []
    for m in _URL.finditer(text):
        raw = _trim(m.group(0))
        url = normalise_url(raw)
        if "." not in url.split("://", 1)[-1].split("/", 1)[0]:
            continue  # "http://localhost", "https://./" (no host once normalised): not a usable link
        found.append(FoundURL(m.start(), m.start() + len(raw), url))
    return found


def normalise_url(raw: str) -> str:
    """Canonical form: a scheme (https when none), lower-case host, no trailing "/" or ".git".

    Canonical means normalising the result changes nothing more.
    """
    url = _normalise_once(raw)
    while (again := _normalise_once(url)) != url:  # removing a "/" or "." can expose more to trim ("x./")
        url = again
    return url


def _normalise_once(raw: str) -> str:
    raw = _trim(raw.strip())
    if "://" in raw:
        scheme, rest = raw.split("://", 1)
        scheme = scheme.lower()
    else:
        scheme, rest = "https", raw
    host, _, path = rest.partition("/")
    host = host.lower().rstrip(".")
    host = _HOST_ALIASES.get(host, host)
    path = path.rstrip("/")
    if host in CODE_HOSTS and path.endswith(".git"):
        path = path[: -len(".git")]
    return f"{scheme}://{host}" + (f"/{path}" if path else "")


def classify(url: str) -> LinkTarget:
    """Repository (keyed host/owner/name, deep links cut back to the repo) or a kind of link."""
    rest = url.split("://", 1)[-1]
    host, _, path = rest.partition("/")
    segments = [s for s in path.split("?", 1)[0].split("#", 1)[0].split("/") if s]
    if host == "github.com" or host == "bitbucket.org":
        if len(segments) >= 2 and segments[0].lower() not in _GITHUB_NON_REPO:
            owner, name = segments[0], segments[1].removesuffix(".git")
            return LinkTarget(
                f"https://{host}/{owner}/{name}", host, "repository", f"{host}/{owner}/{name}", owner, name
            )
        return LinkTarget(url, host, "other")
    if host == "gitlab.com":
        # GitLab nests groups; "/-/" starts the deep part of a project URL.
        project = segments[: segments.index("-")] if "-" in segments else segments
        if len(project) >= 2:
            owner, name = "/".join(project[:-1]), project[-1].removesuffix(".git")
            return LinkTarget(
                f"https://{host}/{owner}/{name}", host, "repository", f"{host}/{owner}/{name}", owner, name
            )
        return LinkTarget(url, host, "other")
    if host == "huggingface.co":
        if segments and segments[0] in ("datasets", "spaces") and len(segments) >= 3:
            kind_dir, owner, name = segments[0], segments[1], segments[2]
            path_key = f"{host}/{kind_dir}/{owner}/{name}"
            return LinkTarget(f"https://{path_key}", host, "repository", path_key, owner, name)
        if len(segments) >= 2 and segments[0] not in _HF_NON_REPO and segments[0] not in ("datasets", "spaces"):
            owner, name = segments[0], segments[1]
            return LinkTarget(
                f"https://{host}/{owner}/{name}", host, "repository", f"{host}/{owner}/{name}", owner, name
            )
        return LinkTarget(url, host, "huggingface")
    if host in ("doi.org", "dx.doi.org"):
        return LinkTarget(url, host, "doi")
    if host.endswith("arxiv.org"):
        return LinkTarget(url, host, "arxiv")
    if host in _SHORTENERS:
        return LinkTarget(url, host, "short-link")
    if host.endswith(_PAGE_HOST_SUFFIXES) or host in _PAGE_HOST_SUFFIXES:
        return LinkTarget(url, host, "project-page")
    return LinkTarget(url, host, "other")


_PROJECT_PAGE_CUES = re.compile(r"\b(?:project (?:page|website|site)|homepage|home page|website|demo)\b", re.I)
_THIRD_PARTY_CUES = re.compile(r"\b(?:based on|built (?:up)?on|adapted from|borrowed from|provided by|we use)\b", re.I)


def refine_kind(target: LinkTarget, sentence: str) -> str:
    """A generic link in a sentence that calls it a project page or demo is a project page."""
    if target.kind == "other" and _PROJECT_PAGE_CUES.search(sentence):
        return "project-page"
    return target.kind


def is_official_code(sentence: str) -> bool:
    """A code link is the paper's own unless its sentence says it is someone else's."""
    return not _THIRD_PARTY_CUES.search(sentence)
