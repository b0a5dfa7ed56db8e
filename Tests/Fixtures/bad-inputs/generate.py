#!/usr/bin/env python3
"""Writes the bad-input corpus and its MANIFEST.tsv (run from anywhere; rewrites both).

Each case is one file under a folder per input kind, the scaleplan command that reads it,
the exit code it must give (2 bad input, 1 valid but no solution) and a fragment the single
line on stderr must contain. `$F` stands for the case's path from the repository root, as the
command receives it. A fragment with a location is computed from a marker: the line and
column (one-based, in characters) where the marker text first occurs in the file, so the
expected positions follow the content when a case is edited.

Tests/BadInputTests runs every row through the built binary.
"""

import os
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT_REL = "Tests/Fixtures/bad-inputs"
KINDS = ["scenario", "law", "hardware", "runs", "measurements", "selection", "moe"]

cases = []  # (relative file, exit, fragment, command, what)
files = {}  # relative file -> bytes


def position(text, marker, occurrence=1):
    """One-based (line, column) of the occurrence-th `marker` in `text`, column in characters.
    A marker (text, k) points k characters after the start of `text`."""
    offset = 0
    if isinstance(marker, tuple):
        marker, offset = marker
    index = -1
    for _ in range(occurrence):
        index = text.index(marker, index + 1)
    index += offset
    before = text[:index]
    line = before.count("\n") + 1
    column = index - (before.rfind("\n") + 1) + 1
    return line, column


def split_fragment(fragment, kind):
    """A legacy "LOCATION: message" fragment as (location, message)."""
    m = re.match(r"^(\$F|refs[^: ]*)((?::(?:\d+|\?))*):?(?: (.*))?$", fragment)
    if not m:
        return "", fragment
    head, numbers, message = m.group(1), m.group(2), m.group(3) or ""
    if head.startswith("refs"):
        head = f"{ROOT_REL}/{kind}/{head}"
    if fragment.startswith("$F:") and not numbers:
        numbers = ":?"
    return head + numbers, message


def add(kind, name, content, command, exit_code=2, message="", at=None, occurrence=1, loc=None, where="$F",
        what="", fragment=None):
    """A case: `location` is where the error must point (`$F:line:column`, `$F` for the file
    as a whole, another file's path, or empty), `message` a fragment of the sentence."""
    rel = f"{kind}/{name}"
    assert rel not in files, rel
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    files[rel] = data
    if fragment is not None:
        location, message = split_fragment(fragment, kind)
    elif at is not None:
        line, column = position(content if isinstance(content, str) else content.decode("utf-8"), at, occurrence)
        location = f"{where}:{line}:{column}"
    elif loc is not None:
        location = where + ":" + ":".join(str(x) for x in loc)
    else:
        location = where or ""
    assert "\t" not in message and "\n" not in message
    cases.append((rel, exit_code, location, message, command, what or name))


def add_file(rel, content):
    """A file cases refer to (not a case itself)."""
    files[rel] = content if isinstance(content, bytes) else content.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Scenario files: `scaleplan validate` (or evaluate / frontier).

SCENARIO = """\
# A valid scenario that the cases below break one way each.
scenario: corpus
law:
  preset: hoffmann2022
training:
  hardware: h100-sxm
  mfu: 0.45
  devices: 2048
inference:
  hardware: [h100-sxm, l40s]
  precision: [bf16, fp8]
  demand:
    requests_per_day: 50M
    growth_per_month: 0.05
    horizon_months: 24
    prompt_tokens: 800
    output_tokens: 300
    peak_to_mean: 2.5
  slo:
    ttft_ms: 800
    tpot_ms: 60
objectives: [cost, loss]
constraints:
  loss_max: 2.0
search:
  params: [1B, 300B]
  tokens_per_param: [5, 2000]
frontier:
  points: 6
"""

VALIDATE = "validate $F"
EVALUATE = "evaluate $F"


def scen(name, old, new, message, at=None, command=VALIDATE, exit_code=2, occurrence=1, what="", base=SCENARIO, **kw):
    assert old in base, (name, old)
    text = base.replace(old, new, 1)
    add("scenario", name, text, command, exit_code, message, at=at, occurrence=occurrence, what=what, **kw)


# Syntax errors.
scen("syntax-unclosed-flow-list.yaml", "[cost, loss]", "[cost, loss", "did not find expected ',' or ']'", at=("constraints:", 11))
scen("syntax-unclosed-flow-map.yaml", "law:\n  preset: hoffmann2022", "law: { preset: hoffmann2022", "did not find expected ',' or '}'",
     at=("training:", 8))
scen("syntax-bad-indentation.yaml", "  mfu: 0.45", "   mfu: 0.45", "mapping values are not allowed", at=("mfu:", 3))
scen("syntax-tab-indentation.yaml", "  mfu: 0.45", "\tmfu: 0.45", "invalid YAML", at="\tmfu")
scen("syntax-unterminated-double-quote.yaml", "scenario: corpus", 'scenario: "corpus', "the file ends while scanning a quoted scalar",
     at='"corpus')
scen("syntax-unterminated-single-quote.yaml", "scenario: corpus", "scenario: 'corpus", "the file ends while scanning a quoted scalar",
     at="'corpus")
scen("syntax-bad-escape.yaml", "scenario: corpus", 'scenario: "cor\\qpus"', "invalid YAML", at="\\q")
scen("syntax-missing-colon.yaml", "  mfu: 0.45", "  mfu 0.45", "could not find expected ':'", at=("devices", 0))
scen("syntax-stray-bracket.yaml", "objectives: [cost, loss]", "objectives: [cost, loss]]", "did not find expected key", at=("]]", 1))
scen("syntax-undefined-alias.yaml", "  mfu: 0.45", "  mfu: *nowhere", "invalid YAML: found undefined alias", at="*nowhere")
scen("syntax-two-documents.yaml", "frontier:\n  points: 6\n", "frontier:\n  points: 6\n---\nscenario: second\n",
     "invalid YAML", at="---")
scen("syntax-unknown-directive-version.yaml", "# A valid", "%YAML 9.9\n---\n# A valid", "found incompatible YAML document", loc=(1, 1))
scen("syntax-block-seq-in-map.yaml", "  mfu: 0.45", "  mfu: 0.45\n  - 0.5", "did not find expected key", at="- 0.5")
scen("syntax-flow-missing-comma.yaml", "[cost, loss]", "[cost loss", "did not find expected ',' or ']'", at=("constraints:", 11))
scen("syntax-colon-in-plain-key.yaml", "scenario: corpus", "scenario: corpus: extra", "mapping values are not allowed",
     at=("corpus: extra", 6))
scen("syntax-anchor-without-node.yaml", "objectives: [cost, &]", "objectives: [cost, &]", "while scanning an anchor", at=("&]", 1),
     base=SCENARIO.replace("objectives: [cost, loss]", "objectives: [cost, &]"))
scen("syntax-long-key.yaml", "scenario: corpus", "k" * 2000 + " scenario: corpus", "mapping values are not allowed",
     at=(" scenario: corpus", 9))

# Not a usable document.
add("scenario", "empty.yaml", "", VALIDATE, 2, "the file is empty")
add("scenario", "whitespace-only.yaml", "  \n\n\t\n", VALIDATE, 2, "the file is empty")
add("scenario", "comments-only.yaml", "# nothing here\n# at all\n", VALIDATE, 2, "the document is empty")
add("scenario", "document-marker-only.yaml", "---\n...\n", VALIDATE, 2, "the document is empty")
add("scenario", "document-empty-quoted.yaml", "''\n", VALIDATE, 2, "the document must be a mapping", loc=(1, 1))
add("scenario", "bom-only.yaml", b"\xef\xbb\xbf", VALIDATE, 2, "the file is empty")
add("scenario", "root-scalar.yaml", "just some text\n", VALIDATE, 2, "the document must be a mapping", loc=(1, 1))
add("scenario", "root-list.yaml", "- scenario: x\n- law: y\n", VALIDATE, 2, "the document must be a mapping", loc=(1, 1))
add("scenario", "root-null.yaml", "~\n", VALIDATE, 2, "the document must be a mapping", loc=(1, 1))
add("scenario", "nul-byte.yaml", SCENARIO.replace("scenario: corpus", "scenario: cor\0pus"), VALIDATE, 2,
    "NUL byte", at="\0")
add("scenario", "control-character.yaml", SCENARIO.replace("scenario: corpus", "scenario: cor\x01pus"), VALIDATE, 2,
    "the control character U+0001", at="\x01")
add("scenario", "control-character-del.yaml", SCENARIO.replace("  mfu: 0.45", "  mfu: 0.45\x7f"), VALIDATE, 2,
    "the control character U+007F", at="\x7f")
add("scenario", "control-character-c1.yaml", SCENARIO.replace("scenario: corpus", "scenario: corpus\u009b"), VALIDATE, 2,
    "the control character U+009B", at="\u009b")
# Found by fuzzing: YAML reads NEL (U+0085) and U+2028 as line breaks, so positions after them disagreed with editors.
add("law", "next-line-character.yaml", "form: ov\u0085ertrain\n", "law predict --law $F --params 70B --tokens 1.4T", 2,
    "the control character U+0085", at="\u0085")
add("scenario", "line-separator.yaml", SCENARIO.replace("scenario: corpus", "scenario: cor\u2028pus"), VALIDATE, 2,
    "the separator U+2028, which YAML reads as a line break", at="\u2028")
scen("escaped-newline-in-message.yaml", "  mfu: 0.45", '  mfu: "0.4\\n5\\e[31m"', "found '0.4\\n5U+001B[31m'",
     at='"0.4')
add("scenario", "escape-sequence.yaml", SCENARIO.replace("scenario: corpus", "scenario: \x1b[31mcorpus"), VALIDATE, 2,
    "the control character U+001B", at="\x1b")

# Encodings.
sb = SCENARIO.encode()
add("scenario", "invalid-utf8-lone-continuation.yaml", sb.replace(b"corpus", b"cor\x80pus", 1), VALIDATE, 2,
    "not valid UTF-8", loc=(2, 14))
add("scenario", "invalid-utf8-ff.yaml", sb.replace(b"corpus", b"\xffcorpus", 1), VALIDATE, 2, "not valid UTF-8", loc=(2, 11))
add("scenario", "invalid-utf8-overlong.yaml", sb.replace(b"corpus", b"c\xc0\xafrpus", 1), VALIDATE, 2, "not valid UTF-8",
    loc=(2, 12))
add("scenario", "invalid-utf8-surrogate.yaml", sb.replace(b"corpus", b"c\xed\xa0\x80orpus", 1), VALIDATE, 2,
    "not valid UTF-8", loc=(2, 12))
add("scenario", "invalid-utf8-truncated-at-end.yaml", sb + b"# \xe2\x82", VALIDATE, 2, "not valid UTF-8",
    loc=(SCENARIO.count("\n") + 1, 3))
add("scenario", "latin1.yaml", sb.replace(b"# A valid", b"# Caf\xe9: a valid", 1), VALIDATE, 2, "not valid UTF-8", loc=(1, 6))
add("scenario", "utf16le-bom.yaml", b"\xff\xfe" + SCENARIO.encode("utf-16-le"), VALIDATE, 2, "UTF-16")
add("scenario", "utf16be-bom.yaml", b"\xfe\xff" + SCENARIO.encode("utf-16-be"), VALIDATE, 2, "UTF-16")
add("scenario", "utf16le-no-bom.yaml", SCENARIO.encode("utf-16-le"), VALIDATE, 2, "NUL byte", loc=(1, 2))
add("scenario", "utf32le-bom.yaml", b"\xff\xfe\x00\x00" + SCENARIO.encode("utf-32-le"), VALIDATE, 2, "UTF-32")
# A UTF-8 byte-order mark is accepted (as YAML allows); positions after it are unchanged.
add("scenario", "bom-then-unknown-key.yaml", b"\xef\xbb\xbf" + SCENARIO.replace("  mfu: 0.45", "  mfu: 0.45\n  mfuu: 1").encode(),
    VALIDATE, 2, "unknown key 'mfuu' in 'training'", loc=(position(SCENARIO.replace("  mfu: 0.45", "  mfu: 0.45\n  mfuu: 1"), "mfuu")))

# Binary garbage.
import random as _random
_rng = _random.Random(20240601)
add("scenario", "binary-random.yaml", bytes(_rng.randrange(256) for _ in range(4096)), VALIDATE, 2, "not valid UTF-8", loc=(1, 2))
add("scenario", "binary-png-header.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), VALIDATE, 2,
    "not valid UTF-8", loc=(1, 1))
add("scenario", "binary-gzip.yaml", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(_rng.randrange(256) for _ in range(512)),
    VALIDATE, 2, "not valid UTF-8", loc=(1, 2))
add("scenario", "binary-elf.yaml", b"\x7fELF\x02\x01\x01\x00" + bytes(64), VALIDATE, 2, "the control character U+007F", loc=(1, 1))
add("scenario", "binary-printable-noise.yaml", "".join(chr(_rng.randrange(32, 127)) for _ in range(3000)), VALIDATE, 2,
    "the document must be a mapping", loc=(1, 1))

# Very long lines, deep nesting, alias bombs, duplicate keys.
scen("long-line-description.yaml", "scenario: corpus", "scenario: corpus\ndescription: " + "x" * 100_000 + "\nbogus: 1",
     "unknown key 'bogus'", at="bogus")
scen("long-line-list.yaml", "objectives: [cost, loss]", "objectives: [" + ", ".join(["cost"] * 20_000) + "]",
     "objective 'cost' is listed twice", at="cost", occurrence=2 + SCENARIO[:SCENARIO.index("objectives")].count("cost"))
NEST = "the YAML nests deeper than 1000 levels"
add("scenario", "deep-nesting-flow.yaml", "scenario: " + "[" * 5000 + "]" * 5000 + "\n", VALIDATE, 2, NEST, loc=(1, 12))
add("scenario", "deep-nesting-flow-map.yaml", "scenario: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", VALIDATE, 2, NEST,
    loc=(1, 4003))
add("scenario", "deep-nesting-block-seq.yaml", "scenario: corpus\nlaw:\n  " + "- " * 1500 + "x\n", VALIDATE, 2, NEST,
    loc=(3, 1999))
add("scenario", "deep-nesting-block-map.yaml", "".join(" " * i + f"k{i}:\n" for i in range(1100)) + " " * 1100 + "v\n",
    VALIDATE, 2, NEST, loc=(1000, 1000))
add("scenario", "deep-nesting-just-under-limit.yaml", SCENARIO.replace("[cost, loss]", "[" * 990 + "cost" + "]" * 990), VALIDATE, 2,
    "'objectives[0]' must be a text value", at=("[" * 990, 1))
add("scenario", "nesting-under-known-key.yaml", SCENARIO.replace("[cost, loss]", "[" * 60 + "cost" + "]" * 60), VALIDATE, 2,
    "must be a text value", at="[", occurrence=SCENARIO[:SCENARIO.index("[cost")].count("[") + 2)

laughs = ["lol: &a0 \"lol\""]
for i in range(1, 10):
    laughs.append(f"l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
ALIASES = "the file uses more than 16 YAML aliases"
add("scenario", "alias-bomb-values.yaml", "\n".join(laughs) + "\n" + SCENARIO, VALIDATE, 2, ALIASES, loc=(3, 40))
add("scenario", "alias-bomb-key.yaml", "\n".join(laughs[:8]) + "\n? *a7\n: boom\n", VALIDATE, 2, ALIASES, loc=(3, 40))
chain = ["b0: &b0 " + "x" * 1000] + [f"b{i}: &b{i} [*b{i - 1}, *b{i - 1}]" for i in range(1, 9)] + ["? *b8\n: boom"]
add("scenario", "alias-chain-key.yaml", "\n".join(chain) + "\n", VALIDATE, 2, ALIASES, loc=(10, 3))
add("scenario", "alias-bomb-in-objectives.yaml",
    "\n".join(laughs).replace("lol:", "x0:", 1) + "\n" + SCENARIO.replace("[cost, loss]", "*a9"), VALIDATE, 2, ALIASES,
    loc=(3, 40))
scen("alias-reports-the-anchor.yaml", "  mfu: 0.45", "  mfu: &m 0.45\n  pue: *m", "'training.pue' must be between 1 and 3",
     at=("&m 0.45", 0))
# The alias count is textual: stars inside quotes count too (a quote cannot hide aliases).
scen("alias-count-includes-quoted-stars.yaml", "scenario: corpus", 'scenario: "*a *b *c *d *e *f *g *h *i *j *k *l *m *n *o *p *q *r"',
     ALIASES, at="*r")
scen("alias-apostrophe-cannot-hide-a-bomb.yaml", "scenario: corpus", "scenario: rock 'n roll\n" + "\n".join(laughs[1:4]).replace("l", "x"),
     ALIASES, at="*a1", occurrence=7)
scen("alias-merge-key.yaml", "training:\n", "defaults: &d {mfu: 0.4}\ntraining:\n  <<: *d\n", "unknown key 'defaults'", at="defaults")
scen("duplicate-top-level-key.yaml", "objectives: [cost, loss]", "objectives: [cost, loss]\nobjectives: [loss]",
     "duplicate key 'objectives'", at="objectives", occurrence=2)
scen("duplicate-nested-key.yaml", "  mfu: 0.45", "  mfu: 0.45\n  mfu: 0.5", "duplicate key 'mfu'", at="mfu", occurrence=2)
scen("duplicate-flow-key.yaml", "[1B, 300B]", "[1B, 300B]\n  tokens_per_param: [1, 10]", "duplicate key 'tokens_per_param'",
     at="tokens_per_param", occurrence=2)
scen("duplicate-key-quoted.yaml", "  mfu: 0.45", "  mfu: 0.45\n  \"mfu\": 0.5", "duplicate key 'mfu'", at="\"mfu\"")

# Wrong types.
scen("type-scenario-list.yaml", "scenario: corpus", "scenario: [corpus]", "'scenario' must be a text value", at="[corpus]")
scen("type-scenario-empty.yaml", "scenario: corpus", "scenario:", "'scenario' must be a text value", at=("scenario:", 9))
scen("type-law-string.yaml", "law:\n  preset: hoffmann2022", "law: hoffmann2022", "'law' must be a mapping", at="hoffmann2022")
scen("type-training-list.yaml", "training:\n  hardware: h100-sxm\n  mfu: 0.45\n  devices: 2048", "training: [h100-sxm]",
     "'training' must be a mapping", at="[h100-sxm]")
scen("type-objectives-string.yaml", "objectives: [cost, loss]", "objectives: cost", "'objectives' must be a list",
     at=("objectives: cost", 12))
scen("type-objectives-map.yaml", "objectives: [cost, loss]", "objectives: {cost: 1}", "'objectives' must be a list", at="{cost")
scen("type-objectives-empty.yaml", "objectives: [cost, loss]", "objectives: []", "'objectives' must not be an empty list", at="[]")
scen("type-objective-number.yaml", "objectives: [cost, loss]", "objectives: [cost, 7]", "'objectives[1]' is '7'", at="7]")
scen("type-objective-nested-list.yaml", "objectives: [cost, loss]", "objectives: [[cost], loss]",
     "'objectives[0]' must be a text value", at="[cost]")
scen("type-constraints-list.yaml", "constraints:\n  loss_max: 2.0", "constraints: [2.0]", "'constraints' must be a mapping", at="[2.0]")
scen("type-frontier-number.yaml", "frontier:\n  points: 6", "frontier: 6", "'frontier' must be a mapping", at=("frontier: 6", 10))
scen("type-range-scalar.yaml", "params: [1B, 300B]", "params: 1B", "'search.params' must be a list", at="1B")
scen("type-range-one-item.yaml", "params: [1B, 300B]", "params: [1B]", "a range is a list of two numbers", at="[1B]")
scen("type-range-three-items.yaml", "params: [1B, 300B]", "params: [1B, 2B, 3B]", "a range is a list of two numbers", at="[1B,")
scen("type-demand-string.yaml", "  demand:\n    requests_per_day: 50M\n    growth_per_month: 0.05\n    horizon_months: 24\n"
     "    prompt_tokens: 800\n    output_tokens: 300\n    peak_to_mean: 2.5", "  demand: 50M",
     "'inference.demand' must be a mapping", at="50M")
scen("type-slo-text.yaml", "    ttft_ms: 800", "    ttft_ms: fast", "'inference.slo.ttft_ms' must be a finite number", at="fast")
scen("type-mfu-word.yaml", "  mfu: 0.45", "  mfu: high", "'training.mfu' must be a finite number", at="high")
scen("type-mfu-bool.yaml", "  mfu: 0.45", "  mfu: true", "'training.mfu' must be a finite number", at="true")
scen("type-mfu-null.yaml", "  mfu: 0.45", "  mfu: ~", "'training.mfu' must be a finite number", at="~")
scen("type-mfu-list.yaml", "  mfu: 0.45", "  mfu: [0.45]", "'training.mfu' must be a finite number", at="[0.45]")
scen("type-devices-fraction.yaml", "  devices: 2048", "  devices: 1.5", "'training.devices' must be a whole number", at="1.5")
scen("type-horizon-fraction.yaml", "horizon_months: 24", "horizon_months: 12.5", "'inference.demand.horizon_months' must be a whole number",
     at="12.5")
scen("type-hardware-number.yaml", "  hardware: h100-sxm", "  hardware: 100", "unknown hardware '100'", at="100")
scen("type-hardware-map.yaml", "  hardware: [h100-sxm, l40s]", "  hardware: {h100-sxm: 1}", "'inference.hardware' must be a list",
     at="{h100")
scen("type-precision-number.yaml", "[bf16, fp8]", "[bf16, 8]", "'inference.precision[1]' is '8'", at="8]")
scen("type-price-list.yaml", "  mfu: 0.45", "  mfu: 0.45\n  price_per_hour: [2]", "'training.price_per_hour' must be a finite number",
     at="[2]")
scen("type-key-is-list.yaml", "  mfu: 0.45", "  mfu: 0.45\n  [a, b]: 1", "keys of 'training' must be plain names", at="[a, b]")
scen("type-binary-tag.yaml", "  mfu: 0.45", "  mfu: !!binary aGVsbG8=", "'training.mfu' must be a finite number", at="!!binary")

# Missing required keys.
scen("missing-scenario.yaml", "scenario: corpus\n", "", "the document is missing the required key 'scenario'", loc=(2, 1))
scen("missing-law.yaml", "law:\n  preset: hoffmann2022\n", "", "missing the required key 'law'", loc=(2, 1))
scen("missing-training.yaml", "training:\n  hardware: h100-sxm\n  mfu: 0.45\n  devices: 2048\n", "",
     "missing the required key 'training'", loc=(2, 1))
scen("missing-objectives.yaml", "objectives: [cost, loss]\n", "", "missing the required key 'objectives'", loc=(2, 1))
scen("missing-training-hardware.yaml", "  hardware: h100-sxm\n", "", "'training' is missing the required key 'hardware'", at="mfu")
scen("missing-inference-hardware.yaml", "  hardware: [h100-sxm, l40s]\n", "", "'inference' is missing the required key 'hardware'",
     at="precision")
scen("missing-demand.yaml", "  demand:\n    requests_per_day: 50M\n    growth_per_month: 0.05\n    horizon_months: 24\n"
     "    prompt_tokens: 800\n    output_tokens: 300\n    peak_to_mean: 2.5\n", "",
     "'inference' is missing the required key 'demand'", at="hardware: [")
scen("missing-demand-volume.yaml", "    requests_per_day: 50M\n", "", "demand needs exactly one of", at="growth_per_month")
scen("missing-prompt-tokens.yaml", "    prompt_tokens: 800\n", "", "missing the required key 'prompt_tokens'", at="requests_per_day")
scen("missing-output-tokens.yaml", "    output_tokens: 300\n", "", "missing the required key 'output_tokens'", at="requests_per_day")
scen("missing-horizon.yaml", "    horizon_months: 24\n", "", "missing the required key 'horizon_months'", at="requests_per_day")
scen("missing-law-parameter.yaml", "law:\n  preset: hoffmann2022", "law:\n  form: chinchilla\n  E: 1.69\n  A: 406.4\n  B: 410.7\n  alpha: 0.34",
     "needs parameter 'beta'", at="form")
scen("missing-law-form.yaml", "law:\n  preset: hoffmann2022", "law:\n  E: 1.69", "missing the required key 'form'", at="E:")
scen("missing-mfu-decode.yaml", "  slo:\n", "  mfu:\n    prefill: 0.5\n  slo:\n", "missing the required key 'decode'",
     at="prefill")

# Unknown keys.
scen("unknown-top-level.yaml", "objectives:", "version: 2\nobjectives:", "unknown key 'version' in the document", at="version")
scen("unknown-top-level-typo.yaml", "objectives:", "objective: [cost]\nobjectives:", "did you mean 'objectives'?", at="objective:")
scen("unknown-law-key.yaml", "  preset: hoffmann2022", "  presets: hoffmann2022", "unknown key 'presets' in 'law'", at="presets")
scen("unknown-training-key.yaml", "  mfu: 0.45", "  mfu: 0.45\n  gpus: 8", "unknown key 'gpus' in 'training'", at="gpus")
scen("unknown-inference-key.yaml", "  slo:\n", "  batch: 8\n  slo:\n", "unknown key 'batch' in 'inference'", at="batch")
scen("unknown-demand-key.yaml", "    peak_to_mean: 2.5", "    peak_to_mean: 2.5\n    peak_to_mea: 2", "unknown key 'peak_to_mea'",
     at="peak_to_mea:", occurrence=1)
scen("unknown-slo-key.yaml", "    tpot_ms: 60", "    tpot_ms: 60\n    e2e_ms: 900", "unknown key 'e2e_ms' in 'inference.slo'", at="e2e_ms")
scen("unknown-constraint-key.yaml", "  loss_max: 2.0", "  loss_max: 2.0\n  cost_maximum: 5M", "unknown key 'cost_maximum' in 'constraints'",
     at="cost_maximum")
scen("unknown-search-key.yaml", "  tokens_per_param: [5, 2000]", "  tokens_per_param: [5, 2000]\n  layers: [1, 2]",
     "unknown key 'layers' in 'search'", at="layers")
scen("unknown-frontier-key.yaml", "  points: 6", "  points: 6\n  z: cost", "unknown key 'z' in 'frontier'", at="z:")
scen("unknown-key-case.yaml", "  mfu: 0.45", "  MFU: 0.45", "unknown key 'MFU' in 'training'", at="MFU")
scen("unknown-key-with-space.yaml", "  mfu: 0.45", "  \"mfu \": 0.45", "unknown key 'mfu ' in 'training'", at="\"mfu \"")
scen("unknown-key-empty.yaml", "  mfu: 0.45", "  \"\": 0.45", "unknown key '' in 'training'", at="\"\"")
scen("unknown-preset-with-extra.yaml", "  preset: hoffmann2022", "  preset: hoffmann2022\n  E: 1.5", "'law' with a preset takes no other keys",
     at="preset")

# Numbers out of range, non-finite, huge.
for name, value, message in [
    ("mfu-negative", "-0.45", "'training.mfu' must be between 0.001 and 1, found -0.45"),
    ("mfu-zero", "0", "'training.mfu' must be between 0.001 and 1, found 0"),
    ("mfu-above-one", "1.5", "'training.mfu' must be between 0.001 and 1, found 1.5"),
    ("mfu-nan", ".nan", "'training.mfu' must be a finite number"),
    ("mfu-NaN-word", "NaN", "'training.mfu' must be a finite number"),
    ("mfu-inf", ".inf", "'training.mfu' must be a finite number"),
    ("mfu-minus-inf", "-.inf", "'training.mfu' must be a finite number"),
    ("mfu-infinity-word", "infinity", "'training.mfu' must be a finite number"),
    ("mfu-overflow", "1e309", "'training.mfu' must be a finite number"),
    ("mfu-huge", "1e308", "'training.mfu' must be between 0.001 and 1"),
    ("mfu-hex", "0x1p-1", "'training.mfu' must be a finite number"),
    ("mfu-percent", "45%", "'training.mfu' must be a finite number"),
    ("mfu-comma-decimal", "0,45", "'training.mfu' must be a finite number"),
]:
    scen(f"number-{name}.yaml", "  mfu: 0.45", f"  mfu: {value}", message, at=(f"mfu: {value}", 5))
for name, old, new, message in [
    ("loss-max-negative", "loss_max: 2.0", "loss_max: -2", "'constraints.loss_max' must be greater than 0, found -2"),
    ("loss-max-zero", "loss_max: 2.0", "loss_max: 0", "'constraints.loss_max' must be greater than 0, found 0"),
    ("loss-max-underflow", "loss_max: 2.0", "loss_max: 1e-400", "'constraints.loss_max' must be greater than 0"),
    ("loss-max-nan", "loss_max: 2.0", "loss_max: .NaN", "'constraints.loss_max' must be a finite number"),
    ("devices-zero", "devices: 2048", "devices: 0", "'training.devices' must be a whole number from 1"),
    ("devices-negative", "devices: 2048", "devices: -8", "'training.devices' must be a whole number from 1"),
    ("devices-huge", "devices: 2048", "devices: 1e30", "'training.devices' must be a whole number from 1"),
    ("devices-suffix-huge", "devices: 2048", "devices: 9P", "'training.devices' must be a whole number from 1"),
    ("requests-negative", "requests_per_day: 50M", "requests_per_day: -50M", "must be at least 0"),
    ("requests-nan", "requests_per_day: 50M", "requests_per_day: nan", "must be a finite number"),
    ("prompt-negative", "prompt_tokens: 800", "prompt_tokens: -1", "must be between 0 and 10000000, found -1"),
    ("output-zero", "output_tokens: 300", "output_tokens: 0", "'inference.demand.output_tokens' must be between 1 and 10000000, found 0"),
    ("output-denormal", "output_tokens: 300", "output_tokens: 5e-324", "must be between 1 and 10000000, found 5e-324"),
    ("horizon-zero", "horizon_months: 24", "horizon_months: 0", "must be a whole number from 1 to 1200"),
    ("horizon-huge", "horizon_months: 24", "horizon_months: 100000", "must be a whole number from 1 to 1200"),
    ("growth-minus-one", "growth_per_month: 0.05", "growth_per_month: -1", "must be between"),
    ("growth-huge", "growth_per_month: 0.05", "growth_per_month: 1e6", "must be between"),
    ("peak-below-one", "peak_to_mean: 2.5", "peak_to_mean: 0.5", "must be between 1 and 1000"),
    ("ttft-negative", "ttft_ms: 800", "ttft_ms: -800", "'inference.slo.ttft_ms' must be between 0.001 and 1000000000, found -800"),
    # Found by the seed-11 soak: 5e-324 ms is 0 s, and the SLO relaxation bisected towards 0 forever.
    ("tpot-denormal", "tpot_ms: 60", "tpot_ms: 5e-324", "'inference.slo.tpot_ms' must be between 0.001 and 1000000000, found 5e-324"),
    ("tpot-inf", "tpot_ms: 60", "tpot_ms: .inf", "must be a finite number"),
    ("frontier-points-one", "points: 6", "points: 1", "'frontier.points' must be a whole number from 2 to 500"),
    ("frontier-points-huge", "points: 6", "points: 1e9", "'frontier.points' must be a whole number from 2 to 500"),
    ("frontier-points-negative", "points: 6", "points: -3", "'frontier.points' must be a whole number from 2 to 500"),
    ("search-params-negative", "params: [1B, 300B]", "params: [-1B, 300B]", "must be greater than 0"),
    ("search-params-reversed", "params: [1B, 300B]", "params: [300B, 1B]", "a range needs low < high"),
    ("search-ratio-zero", "tokens_per_param: [5, 2000]", "tokens_per_param: [0, 2000]", "must be greater than 0"),
    ("search-params-overflow", "params: [1B, 300B]", "params: [1B, 1e400]", "must be a finite number"),
    ("pue-below-one", "devices: 2048", "devices: 2048\n  pue: 0.9", "'training.pue' must be between 1 and 3"),
    ("price-negative", "devices: 2048", "devices: 2048\n  price_per_hour: -2", "'training.price_per_hour' must be at least 0"),
    ("unique-tokens-zero", "devices: 2048", "devices: 2048\n  unique_tokens: 0", "'training.unique_tokens' must be greater than 0"),
    ("max-days-negative", "devices: 2048", "devices: 2048\n  max_days: -30", "'training.max_days' must be greater than 0"),
    ("carbon-negative", "  slo:\n", "  carbon_intensity: -400\n  slo:\n", "'inference.carbon_intensity' must be between 0 and 10000"),
    # Found by the seed-12 soak: 1e308 gCO2/kWh made the budget's emissions infinite.
    ("carbon-huge", "  slo:\n", "  carbon_intensity: 1e308\n  slo:\n", "'inference.carbon_intensity' must be between 0 and 10000, found 1e+308"),
    ("max-devices-zero", "  slo:\n", "  max_devices: {l40s: 0}\n  slo:\n", "'inference.max_devices.l40s' must be a whole number from 1"),
    ("inference-mfu-zero", "  slo:\n", "  mfu: {prefill: 0, decode: 0.5}\n  slo:\n", "'inference.mfu.prefill' must be between 0.001 and 1"),
    ("prefix-cache-one", "  slo:\n", "  prefix_cache_hit_rate: 1\n  slo:\n", "'inference.prefix_cache_hit_rate' must be at least 0 and below 1"),
    ("prefix-cache-negative", "  slo:\n", "  prefix_cache_hit_rate: -0.2\n  slo:\n", "'inference.prefix_cache_hit_rate' must be at least 0 and below 1 (the fraction of prompt tokens found in the prefix cache; a request always computes its last prompt token), found -0.2"),
    ("prefix-cache-inf", "  slo:\n", "  prefix_cache_hit_rate: .inf\n  slo:\n", "must be a finite number"),
    ("prefix-cache-text", "  slo:\n", "  prefix_cache_hit_rate: most\n  slo:\n", "'inference.prefix_cache_hit_rate' must be a finite number"),
    ("shared-prefix-whole-prompt", "  slo:\n", "  shared_prefix_tokens: 800\n  slo:\n", "'inference.shared_prefix_tokens' must be a whole number from 0 to 799"),
    ("shared-prefix-negative", "  slo:\n", "  shared_prefix_tokens: -5\n  slo:\n", "'inference.shared_prefix_tokens' must be a whole number from 0 to 799"),
    ("shared-prefix-fraction", "  slo:\n", "  shared_prefix_tokens: 10.5\n  slo:\n", "'inference.shared_prefix_tokens' must be a whole number"),
    ("shared-prefix-above-rate", "  slo:\n", "  prefix_cache_hit_rate: 0.2\n  shared_prefix_tokens: 400\n  slo:\n",
     "prefix_cache_hit_rate 0.2 is below the shared prefix's share of the prompt (400 of 800 tokens, 0.5)"),
]:
    last = new.split("\n")[-1] if "\n" in new and not new.endswith("\n") else new.split("\n")[0]
    key, value = last.split(": ", 1)
    marker = (last, len(key) + 2)
    special = {"[-1B, 300B]": 1, "[300B, 1B]": 0, "[0, 2000]": 1, "[1B, 1e400]": 5, "{l40s: 0}": 7,
               "{prefill: 0, decode: 0.5}": 10}
    if value in special:
        marker = (last, len(key) + 2 + special[value])
    scen(f"number-{name}.yaml", old, new, message, at=marker)

# A prefix-cache hit rate needs a serving model: a token total without a request shape counts
# inference in FLOPs only, and splits no tokens into prompts.
add("scenario", "prefix-cache-flops-only.yaml",
    "scenario: corpus-flops\nlaw: { preset: sardana2024 }\ntraining:\n  hardware: h100-sxm\ninference:\n"
    "  demand: { tokens: 2T }\n  prefix_cache_hit_rate: 0.5\nobjectives: [compute]\nconstraints: { loss_max: 1.947 }\n",
    VALIDATE, 2, "'prefix_cache_hit_rate' needs a serving model", at=("prefix_cache_hit_rate: 0.5", len("prefix_cache_hit_rate: ")))

add("scenario", "shared-prefix-flops-only.yaml",
    "scenario: corpus-flops\nlaw: { preset: sardana2024 }\ntraining:\n  hardware: h100-sxm\ninference:\n"
    "  demand: { tokens: 2T }\n  shared_prefix_tokens: 100\nobjectives: [compute]\nconstraints: { loss_max: 1.947 }\n",
    VALIDATE, 2, "'shared_prefix_tokens' needs a serving model", at=("shared_prefix_tokens: 100", len("shared_prefix_tokens: ")))

# Found by fuzzing: 300% growth a month asked the fleet MILP for 10^17 requests a second (a hang).
scen("demand-explodes.yaml", "growth_per_month: 0.05", "growth_per_month: 3",
     "the demand reaches 13.1T requests a day in month 10, more than the 10T scaleplan plans for", at=("growth_per_month: 3", 18))
scen("demand-too-large.yaml", "requests_per_day: 50M", "requests_per_day: 20T", "the demand reaches 20T requests a day in month 1",
     at=("growth_per_month: 0.05", 18))

# Found by fuzzing: a prompt of 1e308 tokens trapped converting it to Int (a crash).
scen("prompt-tokens-huge.yaml", "prompt_tokens: 800", "prompt_tokens: 1e308",
     "'inference.demand.prompt_tokens' must be between 0 and 10000000, found 1e+308", at="1e308")
scen("output-tokens-huge.yaml", "output_tokens: 300", "output_tokens: 100000000000000000000",
     "'inference.demand.output_tokens' must be between 1 and 10000000, found 1e+20", at="100000000000000000000")

# SI suffixes.
for name, value in [("unknown-letter", "50X"), ("double-suffix", "50MM"), ("suffix-only", "M"), ("lowercase-m", "50m"),
                    ("lowercase-b", "7b"), ("space-inside", "50 M"), ("thousands-comma", "\"50,000,000\""),
                    ("two-dots", "5.0.1M"), ("exponent-without-digits", "5eM"), ("leading-suffix", "M50"),
                    ("word", "lots"), ("unicode-digits", "٥٠M"), ("fullwidth", "５０M"), ("fraction", "1/2M"),
                    ("double-sign", "--50M"), ("plus-minus", "+-50M"), ("letter-o", "5OM"), ("suffix-overflow", "1e300P")]:
    scen(f"si-{name}.yaml", "requests_per_day: 50M", f"requests_per_day: {value}",
         "'inference.demand.requests_per_day' must be a finite number", at=value)

# Unknown names.
scen("unknown-hardware.yaml", "  hardware: h100-sxm", "  hardware: h101-sxm", "unknown hardware 'h101-sxm' (did you mean 'h100-sxm'?)",
     at="h101")
scen("unknown-hardware-in-list.yaml", "[h100-sxm, l40s]", "[h100-sxm, l40]", "unknown hardware 'l40'", at="l40]")
scen("unknown-hardware-empty-list.yaml", "[h100-sxm, l40s]", "[]", "'inference.hardware' must not be an empty list", at="[]")
scen("unknown-hardware-duplicate.yaml", "[h100-sxm, l40s]", "[l40s, l40s]", "'l40s' is listed twice", at="l40s]")
scen("unknown-preset.yaml", "preset: hoffmann2022", "preset: hoffman2022", "did you mean 'hoffmann2022'?", at="hoffman2022")
scen("unknown-objective.yaml", "[cost, loss]", "[cost, profit]", "'objectives[1]' is 'profit'", at="profit")
scen("unknown-objective-duplicate.yaml", "[cost, loss]", "[cost, cost]", "objective 'cost' is listed twice", at="cost]")
scen("unknown-objective-three.yaml", "[cost, loss]", "[cost, loss, energy]", "list one or two objectives", at="energy")
scen("unknown-precision.yaml", "[bf16, fp8]", "[bf16, fp16]", "'inference.precision[1]' is 'fp16'", at="fp16")
scen("unknown-growth.yaml", "    growth_per_month: 0.05", "    growth_per_month: 0.05\n    growth: quadratic",
     "'inference.demand.growth' is 'quadratic'", at="quadratic")
scen("unknown-law-form.yaml", "law:\n  preset: hoffmann2022", "law:\n  form: chinchila\n  E: 1.69", "did you mean 'chinchilla'?",
     at="chinchila")
scen("unknown-frontier-axis.yaml", "  points: 6", "  points: 6\n  x: speed", "'frontier.x' is 'speed'", at="speed")
scen("unknown-frontier-same-axes.yaml", "  points: 6", "  points: 6\n  x: cost\n  y: cost", "the frontier's x and y must be different",
     at="points")
scen("unknown-latency-without-inference.yaml",
     SCENARIO[SCENARIO.index("inference:"):SCENARIO.index("objectives:")], "", "the latency objective needs an 'inference' section",
     at="latency", base=SCENARIO.replace("[cost, loss]", "[latency, loss]"))
scen("unknown-price-hardware.yaml", "  slo:\n", "  price_per_hour: {h200: 3}\n  slo:\n", "unknown key 'h200' in 'inference.price_per_hour'",
     at="h200")
scen("inference-price-negative.yaml", "  slo:\n", "  price_per_hour: -2\n  slo:\n", "'inference.price_per_hour' must be at least 0",
     at="-2")
scen("inference-price-text.yaml", "  slo:\n", "  price_per_hour: cheap\n  slo:\n", "'inference.price_per_hour' must be a finite number",
     at="cheap")
scen("inference-price-hardware-negative.yaml", "  slo:\n", "  price_per_hour: {l40s: -1}\n  slo:\n",
     "'inference.price_per_hour.l40s' must be at least 0", at="-1}")

# Contradictory constraints: invalid (exit 2) when the file itself is inconsistent.
scen("conflict-params-min-above-max.yaml", "  loss_max: 2.0", "  loss_max: 2.0\n  params_min: 10B\n  params_max: 5B",
     "the model-size range is empty", at="loss_max")
scen("conflict-ratio-min-above-max.yaml", "  loss_max: 2.0", "  loss_max: 2.0\n  tokens_per_param_min: 100\n  tokens_per_param_max: 10",
     "the tokens-per-parameter range is empty", at="loss_max")
scen("conflict-search-outside-constraints.yaml", "  loss_max: 2.0", "  loss_max: 2.0\n  params_max: 500M",
     "the model-size range is empty", at="params: [")
scen("conflict-volume-twice.yaml", "    requests_per_day: 50M", "    requests_per_day: 50M\n    tokens_per_day: 1T",
     "demand needs exactly one of requests_per_day, tokens_per_day, tokens or volumes, found requests_per_day, tokens_per_day",
     at="requests_per_day")
scen("conflict-constant-growth-rate.yaml", "    growth_per_month: 0.05", "    growth_per_month: 0.05\n    growth: constant",
     "'growth_per_month' needs growth: linear or exponential", at="0.05")
scen("conflict-preset-and-file.yaml", "  preset: hoffmann2022", "  preset: hoffmann2022\n  file: law.yaml",
     "give one of 'preset', 'file', 'fit' or 'moe' in 'law'", at="preset")
scen("conflict-latency-max-no-inference.yaml", SCENARIO[SCENARIO.index("inference:"):SCENARIO.index("objectives:")], "",
     "'latency_max' needs an 'inference' section", at="loss_max", base=SCENARIO.replace("  loss_max: 2.0", "  loss_max: 2.0\n  latency_max: 50"))

# Valid but infeasible: exit 1 with one sentence.
NOPLAN = "no plan meets every constraint"
for name, old, new in [
    ("loss-below-floor", "loss_max: 2.0", "loss_max: 1.5"),
    ("loss-and-budget", "loss_max: 2.0", "loss_max: 1.9\n  cost_max: 1M"),
    ("compute-too-small", "loss_max: 2.0", "loss_max: 2.0\n  compute_max: 1e18"),
    ("train-days-too-few", "loss_max: 2.0", "loss_max: 2.0\n  train_days_max: 0.01"),
    ("search-box-too-small", "params: [1B, 300B]", "params: [1M, 2M]"),
    ("energy-too-small", "loss_max: 2.0", "loss_max: 2.1\n  energy_max: 10"),
    ("cost-one-dollar", "loss_max: 2.0", "cost_max: 1"),
    ("latency-impossible", "loss_max: 2.0", "loss_max: 2.0\n  latency_max: 0.001"),
]:
    scen(f"infeasible-{name}.yaml", old, new, NOPLAN, command=EVALUATE, exit_code=1)
scen("infeasible-slo-unreachable.yaml", "tpot_ms: 60", "tpot_ms: 0.01", NOPLAN, command=EVALUATE, exit_code=1)
scen("infeasible-capacity-capped.yaml", "  slo:\n", "  max_devices: {h100-sxm: 1, l40s: 1}\n  slo:\n", NOPLAN, command=EVALUATE,
     exit_code=1)
scen("infeasible-frontier-command.yaml", "loss_max: 2.0", "loss_max: 1.5", "", command="frontier $F", exit_code=1,
     fragment="no plan meets the constraints")

# The same errors through evaluate and frontier.
scen("evaluate-unknown-key.yaml", "  mfu: 0.45", "  mfu: 0.45\n  mfux: 1", "unknown key 'mfux' in 'training'", at="mfux",
     command=EVALUATE)
scen("frontier-bad-number.yaml", "loss_max: 2.0", "loss_max: 2.0.0", "must be a finite number", at="2.0.0", command="frontier $F")

# Referenced files: law files, run CSVs and demand volumes are read relative to the scenario.
add_file("scenario/refs/law-negative-alpha.yaml", "form: chinchilla\nE: 1.69\nA: 406.4\nB: 410.7\nalpha: -0.34\nbeta: 0.28\n")
add_file("scenario/refs/runs-bad-cell.csv", "params,tokens,loss\n1e8,2e9,3.5\n2e8,oops,3.2\n")
add_file("scenario/refs/volumes-out-of-order.csv", "month,requests\n1,100\n3,120\n")
add_file("scenario/refs/volumes-both-columns.csv", "month,requests,requests_per_day\n1,100,3\n")
add_file("scenario/refs/binary.yaml", bytes(range(256)))
add_file("scenario/refs/volumes-too-many-months.csv", "month,requests\n" + "".join(f"{m},100\n" for m in range(1, 1302)))
LAW_BLOCK = "law:\n  preset: hoffmann2022"
scen("ref-law-file-missing.yaml", LAW_BLOCK, "law:\n  file: refs/no-such-law.yaml", "", fragment="refs/no-such-law.yaml: the file does not exist")
scen("ref-law-file-invalid.yaml", LAW_BLOCK, "law:\n  file: refs/law-negative-alpha.yaml", "",
     fragment="refs/law-negative-alpha.yaml:5:8: parameter 'alpha' must be")
scen("ref-law-file-directory.yaml", LAW_BLOCK, "law:\n  file: refs", "", fragment="refs: this is a directory")
scen("ref-law-file-binary.yaml", LAW_BLOCK, "law:\n  file: refs/binary.yaml", "", fragment="refs/binary.yaml:3:115: the file is not valid UTF-8 text")
scen("ref-law-file-empty-name.yaml", LAW_BLOCK, "law:\n  file: \"\"", "'law.file' must be a text value", at="\"\"")
scen("ref-fit-csv-bad-cell.yaml", LAW_BLOCK, "law:\n  fit: refs/runs-bad-cell.csv", "",
     fragment="refs/runs-bad-cell.csv:3:5: column 'tokens' must be a finite number, found 'oops'")
scen("ref-fit-csv-missing.yaml", LAW_BLOCK, "law:\n  fit: refs/nothing.csv", "", fragment="refs/nothing.csv: the file does not exist")
scen("ref-fit-unknown-column-option.yaml", LAW_BLOCK, "law:\n  fit: refs/runs-bad-cell.csv\n  loss_column: L", "",
     fragment="there is no column 'L'")
VOL = "    requests_per_day: 50M\n    growth_per_month: 0.05\n"
scen("ref-volumes-out-of-order.yaml", VOL, "    volumes: refs/volumes-out-of-order.csv\n", "",
     fragment="refs/volumes-out-of-order.csv:3:1: months must be numbered 1, 2, 3, ... in order; expected 2, found 3")
scen("ref-volumes-both-columns.yaml", VOL, "    volumes: refs/volumes-both-columns.csv\n", "",
     fragment="refs/volumes-both-columns.csv:1:1: the header must have exactly one of 'requests' and 'requests_per_day'")
scen("ref-volumes-too-many-months.yaml", VOL, "    volumes: refs/volumes-too-many-months.csv\n",
     "'volumes' lists 1301 months, more than the 1200 (100 years) a horizon may span", at="refs/volumes-too-many")
scen("ref-volumes-missing.yaml", VOL, "    volumes: refs/none.csv\n", "", fragment="refs/none.csv: the file does not exist")
scen("ref-volumes-with-growth.yaml", "    requests_per_day: 50M\n", "    volumes: refs/volumes-out-of-order.csv\n", "",
     fragment="'volumes' gives every month already")

# ---------------------------------------------------------------------------------------------
# Law files: `scaleplan law predict --law FILE` (and optimum).

LAW = """\
# A hand-written law file.
form: chinchilla
E: 1.69
A: 406.4
B: 410.7
alpha: 0.34
beta: 0.28
"""
PREDICT = "law predict --law $F --params 70B --tokens 1.4T"
OPTIMUM = "law optimum --law $F --compute 5.76e23"


def law(name, old, new, message, at=None, command=PREDICT, base=LAW, **kw):
    assert old in base, (name, old)
    add("law", name, base.replace(old, new, 1), command, 2, message, at=at, **kw)


law("missing-form.yaml", "form: chinchilla\n", "", "missing the required key 'form'", loc=(2, 1))
law("unknown-form.yaml", "form: chinchilla", "form: hoffmann", "'form' is 'hoffmann'", at="hoffmann")
law("form-typo.yaml", "form: chinchilla", "form: Chinchilla", "did you mean 'chinchilla'?", at="Chinchilla")
law("form-list.yaml", "form: chinchilla", "form: [chinchilla]", "'form' must be a text value", at="[chinchilla]")
law("missing-beta.yaml", "beta: 0.28\n", "", "the chinchilla law needs parameter 'beta'", loc=(2, 1))
law("missing-everything.yaml", LAW, "form: chinchilla\n", "the chinchilla law needs parameter 'E'", loc=(1, 1), base=LAW)
law("negative-alpha.yaml", "alpha: 0.34", "alpha: -0.34", "parameter 'alpha' must be", at="-0.34")
law("zero-beta.yaml", "beta: 0.28", "beta: 0", "parameter 'beta' must be", at=("beta: 0", 6))
law("negative-E.yaml", "E: 1.69", "E: -1.69", "parameter 'E' must be", at="-1.69")
law("nan-A.yaml", "A: 406.4", "A: .nan", "'A' must be a finite number", at=".nan")
law("inf-B.yaml", "B: 410.7", "B: .inf", "'B' must be a finite number", at=".inf")
law("overflow-A.yaml", "A: 406.4", "A: 1e400", "'A' must be a finite number", at="1e400")
law("text-alpha.yaml", "alpha: 0.34", "alpha: zero point three", "'alpha' must be a finite number", at="zero")
law("suffix-alpha.yaml", "alpha: 0.34", "alpha: 0.34X", "'alpha' must be a finite number", at="0.34X")
law("unknown-key.yaml", "beta: 0.28", "beta: 0.28\ngamma: 1", "unknown key 'gamma'", at="gamma")
law("kaplan-param-in-chinchilla.yaml", "beta: 0.28", "beta: 0.28\nNc: 8.8e13", "unknown key 'Nc'", at="Nc")
law("given-twice.yaml", "beta: 0.28", "beta: 0.28\nparameters: {beta: 0.3}", "parameter 'beta' is given twice", at="0.28")
law("parameters-list.yaml", "beta: 0.28", "parameters: [0.28]", "'parameters' must be a mapping", at="[0.28]")
law("parameters-unknown.yaml", "beta: 0.28", "parameters: {beta: 0.28, delta: 1}", "unknown key 'delta' in 'parameters'", at="delta")
law("bootstrap-not-list.yaml", "beta: 0.28", "beta: 0.28\nbootstrap_laws: 5", "'bootstrap_laws' must be a list", at="5")
law("bootstrap-short-row.yaml", "beta: 0.28", "beta: 0.28\nbootstrap_laws:\n  - [1.7, 400, 400, 0.3]",
    "each bootstrap law must list 5 parameters", at="[1.7")
law("bootstrap-text-cell.yaml", "beta: 0.28", "beta: 0.28\nbootstrap_laws:\n  - [1.7, 400, 400, 0.3, x]", "must be a finite number",
    at="x]")
law("bootstrap-negative.yaml", "beta: 0.28", "beta: 0.28\nbootstrap_laws:\n  - [1.7, 400, 400, -0.3, 0.3]", "invalid bootstrap law",
    at="[1.7")
law("bootstrap-row-scalar.yaml", "beta: 0.28", "beta: 0.28\nbootstrap_laws:\n  - 1.7", "'bootstrap_laws[0]' must be a list", at="1.7",
    occurrence=1)
law("json-syntax.yaml", LAW, '{"form": "chinchilla", "E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28\n',
    "did not find expected ',' or '}'", loc=(2, 1))
law("json-unquoted-nan.yaml", LAW, '{"form": "chinchilla", "E": NaN, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}\n',
    "'E' must be a finite number", at="NaN")
law("kaplan-missing-Dc.yaml", LAW, "form: kaplan\nNc: 8.8e13\nalphaN: 0.076\nalphaD: 0.095\n", "the kaplan law needs parameter 'Dc'",
    loc=(1, 1))
law("data-constrained-negative-rstar.yaml", LAW,
    "form: data-constrained\nE: 1.87\nA: 521\nB: 1488\nalpha: 0.35\nbeta: 0.35\nRstarD: -15\nRstarN: 5.3\n",
    "parameter 'RstarD' must be", at="-15")
law("overtrain-partial-downstream.yaml", LAW, "form: overtrain\nE: 1.8\na: 10\nb: 0.1\nc: 0.3\nepsilon: 0.9\n",
    "the downstream error law needs all of epsilon, k, gamma; 'k' is missing", at="0.9")
law("empty.yaml", LAW, "", "the file is empty")
# Found by fuzzing: an over-training exponent of -2147483649 made B = c 6^(b/2) underflow to 0 and trapped in a try!.
add("law", "overtrain-underflowing-exponent.yaml", "form: overtrain\nE: 1.83665\na: 166.21\nb: -2147483649\nc: 366.69\n", OPTIMUM, 2,
    "parameter 'b' must be a negative number for which c 6^(b/2) is a positive finite number", at="-2147483649")
# Found by fuzzing: a Kaplan law whose exponent overflows predicted an infinite loss.
add("law", "kaplan-overflowing-exponent.yaml", "form: kaplan\nNc: 8.8e13\nDc: 5.4e13\nalphaN: 0.076\nalphaD: 1200\n", PREDICT, 2,
    "the law's predicted loss is inf", where=None)
add("law", "binary.yaml", bytes(_rng.randrange(256) for _ in range(2048)), PREDICT, 2, "not valid UTF-8", loc=(1, 4))
law("duplicate-parameter.yaml", "beta: 0.28", "beta: 0.28\nbeta: 0.3", "duplicate key 'beta'", at="beta", occurrence=2)
law("optimum-huge-exponents.yaml", "alpha: 0.34", "alpha: 1e-300", "the optimum leaves floating-point range", command=OPTIMUM,
    where=None)
cases.append(("law/no-such-law.yaml", 2, "$F", "the file does not exist", PREDICT, "a law file that does not exist"))

# ---------------------------------------------------------------------------------------------
# Hardware profiles: `scaleplan hardware show FILE.yaml` (and estimate --hardware FILE).

PROFILE = """\
# A profile the cases below break one way each (figures from the L4 profile).
name: corpus-gpu
display_name: "Corpus GPU"
kind: gpu
vendor: Corpus
peak_tflops:
  fp32: {value: 30.3, source: "datasheet"}
  bf16: {value: 121, source: "datasheet"}
memory:
  capacity_gb: {value: 24, source: "datasheet"}
  bandwidth_tb_per_s: {value: 0.30, source: "datasheet"}
interconnect:
  name: "PCIe Gen4 x16"
  bandwidth_gb_per_s: {value: 32, source: "datasheet"}
  latency_us: {value: 20, source: "estimate: PCIe"}
power:
  tdp_w: {value: 72, source: "datasheet"}
  idle_w: {value: 16, source: "estimate: nvidia-smi"}
price:
  usd_per_hour: {value: 0.80, source: "cloud list price"}
"""
SHOW = "hardware show $F"
ESTIMATE = "estimate --hardware $F --params 1B --batch 1 --prompt-tokens 8 --output-tokens 8"


def prof(name, old, new, message, at=None, command=SHOW, **kw):
    assert old in PROFILE, (name, old)
    add("hardware", name, PROFILE.replace(old, new, 1), command, 2, message, at=at, **kw)


prof("missing-name.yaml", "name: corpus-gpu\n", "", "missing the required key 'name'", loc=(2, 1))
prof("bad-name-uppercase.yaml", "name: corpus-gpu", "name: Corpus-GPU", "'name' must be lower-case letters", at="Corpus-GPU")
prof("bad-name-digit-first.yaml", "name: corpus-gpu", "name: 4090", "'name' must be lower-case letters", at="4090")
prof("bad-name-space.yaml", "name: corpus-gpu", "name: corpus gpu", "'name' must be lower-case letters", at="corpus gpu")
prof("unknown-kind.yaml", "kind: gpu", "kind: fpga", "'kind' is 'fpga'", at="fpga")
prof("unknown-top-key.yaml", "vendor: Corpus", "vendor: Corpus\nwatts: 72", "unknown key 'watts'", at="watts")
prof("unknown-precision.yaml", "  fp32: {value: 30.3", "  fp16: {value: 30.3", "unknown key 'fp16' in 'peak_tflops'", at="fp16")
prof("no-bf16-or-fp32.yaml", "  fp32: {value: 30.3, source: \"datasheet\"}\n  bf16: {value: 121, source: \"datasheet\"}",
     "  fp8: {value: 242, source: \"datasheet\"}", "'peak_tflops' must list at least bf16 or fp32", at="fp8")
prof("figure-plain-number.yaml", "bf16: {value: 121, source: \"datasheet\"}", "bf16: 121", "'peak_tflops.bf16' must be a mapping",
     at="121")
prof("figure-without-source.yaml", "bf16: {value: 121, source: \"datasheet\"}", "bf16: {value: 121}",
     "'peak_tflops.bf16' is missing the required key 'source'", at="{value: 121")
prof("figure-short-source.yaml", "bf16: {value: 121, source: \"datasheet\"}", "bf16: {value: 121, source: \"x\"}",
     "must cite a document", at="\"x\"")
prof("figure-negative.yaml", "capacity_gb: {value: 24", "capacity_gb: {value: -24", "'memory.capacity_gb.value' must be between 0.001 and 1000000, found -24", at="-24")
prof("figure-zero-bandwidth.yaml", "bandwidth_tb_per_s: {value: 0.30", "bandwidth_tb_per_s: {value: 0", "'memory.bandwidth_tb_per_s.value' must be between 0.0001 and 1000, found 0",
     at=("bandwidth_tb_per_s: {value: 0", 28))
prof("figure-nan.yaml", "tdp_w: {value: 72", "tdp_w: {value: .nan", "must be a finite number", at=".nan")
prof("figure-inf.yaml", "bf16: {value: 121", "bf16: {value: .inf", "must be a finite number", at=".inf")
prof("figure-text.yaml", "bf16: {value: 121", "bf16: {value: fast", "must be a finite number", at="fast")
prof("figure-unknown-key.yaml", "bf16: {value: 121, source: \"datasheet\"}", "bf16: {value: 121, source: \"datasheet\", note: x}",
     "unknown key 'note'", at="note")
# Found by fuzzing: a denormal bandwidth made every latency infinite.
prof("figure-denormal-bandwidth.yaml", "bandwidth_tb_per_s: {value: 0.30", "bandwidth_tb_per_s: {value: 5e-324",
     "'memory.bandwidth_tb_per_s.value' must be between 0.0001 and 1000, found 5e-324", at="5e-324")
prof("figure-unit-slip.yaml", "bandwidth_tb_per_s: {value: 0.30", "bandwidth_tb_per_s: {value: 3350",
     "'memory.bandwidth_tb_per_s.value' must be between 0.0001 and 1000, found 3350", at="3350")
prof("idle-above-tdp.yaml", "idle_w: {value: 16", "idle_w: {value: 80", "must be below 'power.tdp_w'", at="{value: 80")
prof("idle-negative.yaml", "idle_w: {value: 16", "idle_w: {value: -1", "'power.idle_w.value' must be between 0 and 100000, found -1", at="-1")
prof("price-negative.yaml", "usd_per_hour: {value: 0.80", "usd_per_hour: {value: -0.80", "'price.usd_per_hour.value' must be between 0 and 10000, found -0.8", at="-0.80")
prof("price-basis-too-long.yaml", "usd_per_hour: {value: 0.80, source: \"cloud list price\"}", "usd_per_hour: {value: 0.80, source: \"cloud list price\"}\n  basis: \"" + "x" * 250 + "\"", "'price.basis' must name the provider, purchase option and date in 3 to 200 characters, found 250", at="\"xxx")
prof("missing-memory.yaml", "memory:\n  capacity_gb: {value: 24, source: \"datasheet\"}\n  bandwidth_tb_per_s: {value: 0.30, source: \"datasheet\"}\n",
     "", "missing the required key 'memory'", loc=(2, 1))
prof("missing-bandwidth.yaml", "  bandwidth_tb_per_s: {value: 0.30, source: \"datasheet\"}\n", "",
     "'memory' is missing the required key 'bandwidth_tb_per_s'", at="capacity_gb")
prof("memory-list.yaml", "memory:\n  capacity_gb: {value: 24, source: \"datasheet\"}\n  bandwidth_tb_per_s: {value: 0.30, source: \"datasheet\"}",
     "memory: [24, 0.3]", "'memory' must be a mapping", at="[24")
prof("reported-memory-far-from-capacity.yaml", "  bandwidth_tb_per_s: {value: 0.30, source: \"datasheet\"}",
     "  reported_capacity_gb: {value: 48, source: \"nvidia-smi\"}\n  bandwidth_tb_per_s: {value: 0.30, source: \"datasheet\"}",
     "'memory.reported_capacity_gb' (48.0 GB) must be within 20% of 'memory.capacity_gb' (24.0 GB)", at="{value: 48")
PRICE_AT = '  usd_per_hour: {value: 0.80, source: "cloud list price"}'
prof("reserved-discount-above-range.yaml", PRICE_AT,
     PRICE_AT + '\n  reserved:\n    - {term_months: 12, discount: {value: 1.0, source: "quote"}}',
     "'price.reserved[0].discount.value' must be between 0 and 0.95, found 1", at="1.0, source")
prof("reserved-term-twice.yaml", PRICE_AT,
     PRICE_AT + '\n  reserved:\n    - {term_months: 12, discount: {value: 0.3, source: "quote"}}\n'
     '    - {term_months: 12, discount: {value: 0.4, source: "quote"}}',
     "'price.reserved' lists the 12-month term twice", at=("12, discount: {value: 0.4", 0))
prof("reserved-empty.yaml", PRICE_AT, PRICE_AT + '\n  reserved: []',
     "'price.reserved' lists no term", at="[]")
prof("reserved-no-source.yaml", PRICE_AT, PRICE_AT + '\n  reserved:\n    - {term_months: 36, discount: 0.5}',
     "'price.reserved[0].discount' must be a mapping", at="0.5}")
prof("power-factor-old-key.yaml", "price:", "efficiency:\n  decode_power_factor: {value: 1.5, source: \"estimate: test\"}\nprice:",
     "unknown key 'decode_power_factor' in 'efficiency'", at="decode_power_factor")
prof("efficiency-out-of-range.yaml", "price:", "efficiency:\n  decode_bandwidth: {value: 7, source: \"estimate: test\"}\nprice:",
     "'efficiency.decode_bandwidth.value' must be between", at=("decode_bandwidth: {value: 7", 26))
prof("efficiency-unknown.yaml", "price:", "efficiency:\n  warp_speed: {value: 0.5, source: \"estimate: test\"}\nprice:",
     "unknown key 'warp_speed' in 'efficiency'", at="warp_speed")
prof("duplicate-key.yaml", "kind: gpu", "kind: gpu\nkind: tpu", "duplicate key 'kind'", at="kind", occurrence=2)
prof("syntax-error.yaml", "  fp32: {value: 30.3, source: \"datasheet\"}", "  fp32: {value: 30.3, source: \"datasheet\"",
     "did not find expected ',' or '}'", at="bf16")
prof("estimate-bad-profile.yaml", "kind: gpu", "kind: gpuu", "'kind' is 'gpuu'", at="gpuu", command=ESTIMATE)
add("hardware", "empty.yaml", "", SHOW, 2, "the file is empty")
add("hardware", "list-at-root.yaml", "- name: x\n", SHOW, 2, "the document must be a mapping", loc=(1, 1))
add("hardware", "binary.yaml", bytes(_rng.randrange(256) for _ in range(1024)), SHOW, 2, "not valid UTF-8", loc=(1, 7))
# A profile directory whose file name and profile name differ: `hardware list --profiles DIR`.
add_file("hardware/mismatch-dir/other-name.yaml", PROFILE)
cases.append(("hardware/mismatch-dir", 2, "$F/other-name.yaml:2:7", "the profile name 'corpus-gpu' must match the file name 'other-name'",
              "hardware list --profiles $F", "a profile directory with a name that differs from its file"))
add_file("hardware/empty-dir/README.txt", "No profiles here.\n")
cases.append(("hardware/empty-dir", 2, "$F", "the directory holds no hardware profiles", "hardware list --profiles $F",
              "a profile directory without profiles"))
cases.append(("hardware/no-such-dir", 2, "$F", "--profiles names this directory, which does not exist", "hardware list --profiles $F",
              "a profile directory that does not exist"))

# ---------------------------------------------------------------------------------------------
# Run CSVs: `scaleplan fit FILE`.

RUNS = """\
params,tokens,loss
151000000,3020000000,3.4982
151000000,15100000000,3.2544
151000000,755000000000,3.1212
367000000,7340000000,3.1912
367000000,36700000000,2.9486
749000000,7490000000,3.1517
749000000,37450000000,2.8329
749000000,374500000000,2.6580
1260000000,37800000000,2.8025
1260000000,315000000000,2.5708
2460000000,123000000000,2.5508
6050000000,121000000000,2.4543
"""
FIT = "fit $F --holdout-fraction 0"


def runs(name, old, new, message, at=None, command=FIT, exit_code=2, base=RUNS, **kw):
    assert old in base, (name, old)
    add("runs", name, base.replace(old, new, 1), command, exit_code, message, at=at, **kw)


runs("empty.csv", RUNS, "", "the file is empty")
runs("header-only.csv", RUNS, "params,tokens,loss\n", "the CSV file has a header but no data rows", loc=(2, 1))
runs("missing-loss-column.csv", RUNS, "params,tokens\n1e8,2e9\n2e8,4e9\n", "there is no column 'loss'", loc=(1, 1))
runs("duplicate-column.csv", RUNS, "params,tokens,loss,tokens\n1e8,2e9,3.5,2e9\n", "the header names column 'tokens' twice",
     loc=(1, 20))
runs("empty-column-name.csv", "params,tokens,loss", "params,,loss", "column 2 of the header has no name", loc=(1, 8))
runs("ragged-short-row.csv", "367000000,36700000000,2.9486", "367000000,36700000000", "the row has 2 fields but the header has 3",
     at=("367000000,36700000000", 10))
runs("ragged-long-row.csv", "367000000,36700000000,2.9486", "367000000,36700000000,2.9486,7", "the row has 4 fields but the header has 3",
     at=("2.9486,7", 7))
runs("quoted-comma-number.csv", "367000000,36700000000,2.9486", "\"367,000,000\",36700000000,2.9486",
     "column 'params' must be a finite number, found '367,000,000'", at="\"367")
QUOTED = 'name,params,tokens,loss\n"run, the first",1e8,2e9,3.5\n"run, the second",2e8,4e9,3.2\n3e8,6e9,3.0\n'
runs("quoted-comma-then-ragged.csv", RUNS, QUOTED, "the row has 3 fields but the header has 4", loc=position(QUOTED, "3.0"))
runs("unterminated-quote.csv", "367000000,36700000000,2.9486", "\"367000000,36700000000,2.9486", "unterminated", at="\"367")
runs("quote-inside-field.csv", "367000000,36700000000,2.9486", "367\"000000,36700000000,2.9486", "quote", at="\"000")
runs("text-after-quote.csv", "367000000,36700000000,2.9486", "\"367000000\"x,36700000000,2.9486", "quote", at="x,")
runs("negative-loss.csv", "3.1912", "-3.1912", "column 'loss' must be greater than 0, found -3.1912", at="-3.1912")
runs("zero-params.csv", "367000000,7340000000", "0,7340000000", "column 'params' must be greater than 0", at="0,7340000000")
runs("nan-tokens.csv", "36700000000,", "nan,", "column 'tokens' must be a finite number, found 'nan'", at="nan")
runs("inf-loss.csv", "2.9486", "inf", "column 'loss' must be a finite number, found 'inf'", at="inf")
runs("overflow-tokens.csv", "36700000000,", "1e400,", "column 'tokens' must be a finite number", at="1e400")
runs("empty-cell.csv", "36700000000,", ",", "column 'tokens' must be a finite number, found an empty cell",
     at=(",,", 1))
runs("word-cell.csv", "36700000000,", "many,", "column 'tokens' must be a finite number, found 'many'", at="many")
runs("bad-suffix.csv", "36700000000,", "36.7X,", "column 'tokens' must be a finite number, found '36.7X'", at="36.7X")
runs("too-few-runs.csv", RUNS, "params,tokens,loss\n1e8,2e9,3.5\n2e8,4e9,3.2\n", "fitting needs at least 5 runs, found 2")
runs("semicolon-delimited.csv", RUNS, RUNS.replace(",", ";"), "there is no column 'params'", loc=(1, 1))
runs("tab-delimited.csv", RUNS, RUNS.replace(",", "\t"), "there is no column 'params'", loc=(1, 1))
runs("crlf-bad-cell.csv", RUNS, RUNS.replace("\n", "\r\n").replace("2.8329", "two"), "column 'loss' must be a finite number",
     loc=position(RUNS.replace("2.8329", "two"), "two"))
runs("blank-lines-then-bad-cell.csv", "749000000,37450000000,2.8329", "\n\n749000000,37450000000,2.8329x", "found '2.8329x'",
     at="2.8329x")
runs("quoted-newline-then-bad-cell.csv", "params,tokens,loss", "name,params,tokens,loss",
     "column 'loss' must be a finite number, found 'bad'", at="bad",
     base="params,tokens,loss\n\"multi\nline\",151000000,3020000000,3.4\nx,367000000,7340000000,bad\n")
runs("bom-then-bad-cell.csv", RUNS, "\ufeff" + RUNS.replace("2.8329", "two"), "found 'two'",
     loc=position(RUNS.replace("2.8329", "two"), "two"))
add("runs", "latin1.csv", b"params\xe9,tokens,loss\n" + RUNS.split("\n", 1)[1].encode(), FIT, 2,
    fragment="$F:1:7: the file is not valid UTF-8 text")
add("runs", "binary.csv", bytes(_rng.randrange(256) for _ in range(3000)), FIT, 2, "not valid UTF-8", loc=(1, 3))
add("runs", "utf16.csv", b"\xff\xfe" + RUNS.encode("utf-16-le"), FIT, 2, fragment="UTF-16")
LONG = "params,tokens,loss,note\n1e8,2e9,3.5," + "n" * 100_000 + "\n2e8,4e9,x,n\n"
runs("long-line.csv", RUNS, LONG, "column 'loss' must be a finite number, found 'x'", loc=position(LONG, "x,n"))
runs("many-columns.csv", "params,tokens,loss", "params,tokens,loss," + ",".join(f"c{i}" for i in range(20000)),
     "a row has more than 10000 fields", at="c9997,")
runs("compute-column-zero.csv", RUNS, "params,flops,loss\n1e8,0,3.5\n2e8,1e19,3.2\n3e8,2e19,3.1\n4e8,3e19,3.0\n5e8,4e19,2.9\n",
     "column 'flops' must be greater than 0", at="0,", command="fit $F --compute-column flops --holdout-fraction 0")
runs("compute-column-underflow.csv", RUNS, "params,flops,loss\n1e300,1e-300,3.5\n2e8,1e19,3.2\n3e8,2e19,3.1\n4e8,3e19,3.0\n5e8,4e19,2.9\n",
     "column 'params' must be between 1e-30 and 1e30, found 1e+300", loc=(2, 1),
     command="fit $F --compute-column flops --holdout-fraction 0")
runs("compute-column-tiny-tokens.csv", RUNS, "params,flops,loss\n1e20,1e-10,3.5\n2e8,1e19,3.2\n3e8,2e19,3.1\n4e8,3e19,3.0\n5e8,4e19,2.9\n",
     "gives D = C / (6 N) = 1.6666666666666667e-31 tokens", loc=(2, 6), command="fit $F --compute-column flops --holdout-fraction 0")
# Found by fuzzing: a denormal loss overflowed the fit's residuals.
runs("denormal-loss.csv", "3.1912", "5e-324", "column 'loss' must be between 1e-30 and 1e30", at="5e-324")
UNIQUE = "params,tokens,loss,unique\n1e8,2e9,3.5,\n2e8,4e9,3.2,4e9\n3e8,6e9,3.0,5e9\n4e8,8e9,2.9,5e9\n5e8,1e10,2.8,5e9\n"
runs("unique-tokens-missing-cells.csv", RUNS, UNIQUE, "column 'unique' must be a finite number, found an empty cell",
     loc=(2, 13),
     command="fit $F --form data-constrained --unique-tokens-column unique --holdout-fraction 0")
runs("unknown-column-option.csv", RUNS, RUNS, "there is no column 'N' (set with --params-column)", loc=(1, 1),
     command="fit $F --params-column N")
runs("drop-more-than-all.csv", RUNS, RUNS, "cannot drop 20 of 12 runs", command="fit $F --drop-highest-loss 20")
runs("identical-runs.csv", RUNS, "params,tokens,loss\n" + "1e9,2e10,2.5\n" * 8, "every run has the same model size N (1B)")
runs("one-model-size.csv", RUNS, "params,tokens,loss\n" + "".join(f"1e9,{k}e10,{3 - k / 10}\n" for k in range(1, 9)),
     "every run has the same model size N (1B)")
runs("header-with-spaces-only.csv", "params,tokens,loss", " , , ", "column 1 of the header has no name", loc=(1, 2))
runs("only-blank-lines.csv", RUNS, "params,tokens,loss\n\n\n\n", "the CSV file has a header but no data rows", loc=(2, 1))
runs("nul-byte.csv", "2.9486", "2.94\x0086", "NUL byte", at="\x00")

# ---------------------------------------------------------------------------------------------
# Measurement CSVs: `scaleplan calibrate --hardware h100-sxm FILE`.

MEAS = """\
params,batch,prompt_tokens,output_tokens,precision,devices,ttft_ms,tpot_ms,joules_per_token,source
8.03B,1,512,256,bf16,1,,7.5,,"illustrative, not a measurement"
8.03B,8,512,256,bf16,1,,8.6,,illustrative
8.03B,32,512,256,bf16,1,,11.8,,illustrative
8.03B,64,512,256,bf16,1,,15.5,0.16,illustrative
8.03B,1,2048,128,bf16,1,48,,,illustrative
"""
CAL = "calibrate --hardware h100-sxm $F"


def meas(name, old, new, message, at=None, command=CAL, base=MEAS, **kw):
    assert old in base, (name, old)
    add("measurements", name, base.replace(old, new, 1), command, 2, message, at=at, **kw)


meas("empty.csv", MEAS, "", "the file is empty")
meas("header-only.csv", MEAS, MEAS.split("\n")[0] + "\n", "the table has no data rows", loc=(1, 1))
meas("unknown-column.csv", "joules_per_token,source", "joules_per_token,sauce", "unknown column 'sauce'", at="sauce")
meas("missing-batch.csv", "params,batch,", "params,", "the header is missing the required column 'batch'", loc=(1, 1),
     base=MEAS.replace(",1,512", ",512").replace(",8,512", ",512").replace(",32,512", ",512").replace(",64,512", ",512")
     .replace(",1,2048", ",2048"))
meas("no-measured-value.csv", "8.03B,8,512,256,bf16,1,,8.6,,", "8.03B,8,512,256,bf16,1,,,,",
     "the row has no measured value", loc=(3, 1))
meas("bad-precision.csv", "8.03B,8,512,256,bf16", "8.03B,8,512,256,fp16", "'precision' must be one of", at="fp16")
meas("zero-batch.csv", "8.03B,8,512", "8.03B,0,512", "'batch' must be a whole number from 1 to 1000000, found '0'", at="0,512")
meas("fractional-batch.csv", "8.03B,8,512", "8.03B,8.5,512", "'batch' must be a whole number", at="8.5")
meas("negative-tpot.csv", ",8.6,", ",-8.6,", "'tpot_ms' must be between 1e-06 and 1000000000, found -8.6", at="-8.6")
# Found by the seed-12 soak: a TPOT of 1e308 ms made the predicted power infinite or NaN.
meas("huge-tpot.csv", ",8.6,", ",1e308,", "'tpot_ms' must be between 1e-06 and 1000000000, found 1e+308", at="1e308")
meas("nan-ttft.csv", ",48,", ",nan,", "'ttft_ms' must be a finite number, found 'nan'", at="nan")
meas("text-params.csv", "8.03B,32", "eight,32", "'params' must be a finite number, found 'eight'", at="eight")
meas("huge-params.csv", "8.03B,32", "1e30,32", "'params' must be between 100K and 100T", at="1e30")
meas("tiny-params.csv", "8.03B,32", "10,32", "'params' must be between 100K and 100T", at="10,32")
meas("no-model.csv", "8.03B,32", ",32", "the row gives neither 'model', 'params' nor a shape", loc=(4, 1))
meas("unknown-model.csv", MEAS, "model,batch,prompt_tokens,output_tokens,tpot_ms\nllama-3.1-8b,1,512,256,7.5\nllama-3.1-9b,8,512,256,8.6\n",
     "'model' must name a published shape (scaleplan model list), found 'llama-3.1-9b'", loc=(3, 1))
meas("model-and-params.csv", MEAS, "model,params,batch,prompt_tokens,output_tokens,tpot_ms\nllama-3.1-8b,8.03B,1,512,256,7.5\n",
     "a row gives either 'model' or 'params', not both", loc=(2, 14))
meas("no-row-on-this-hardware.csv", MEAS, "model,hardware,batch,prompt_tokens,output_tokens,tpot_ms\nllama-3.1-8b,a100-80gb,1,512,256,12\n",
     "no row of", fragment="was measured on 'h100-sxm' (1 rows name other hardware)")
meas("layers-without-heads.csv", MEAS, "layers,hidden,batch,prompt_tokens,output_tokens,tpot_ms\n32,4096,1,512,256,7.5\n",
     "a row with 'layers' also needs 'hidden' and 'heads'", loc=(2, 1))
meas("shape-not-divisible.csv", MEAS, "layers,hidden,heads,batch,prompt_tokens,output_tokens,tpot_ms\n32,4000,3,1,512,256,7.5\n",
     "multiple of heads", loc=(2, 1))
meas("devices-zero.csv", "8.03B,64,512,256,bf16,1", "8.03B,64,512,256,bf16,0", "'devices' must be a whole number from 1 to 1024",
     at="0,,15.5")
meas("ragged-row.csv", "8.03B,32,512,256,bf16,1,,11.8,,illustrative", "8.03B,32,512,256,bf16,1,,11.8", "the row has 8 fields but the header has 10",
     at=("11.8", 0))
meas("unterminated-quote.csv", "\"illustrative, not a measurement\"", "\"illustrative, not a measurement", "unterminated",
     at="\"illustrative")
meas("duplicate-column.csv", "params,batch", "params,params", "the header names column 'params' twice", loc=(1, 8))
meas("open-loop-without-rate.csv", MEAS, "params,batch,prompt_tokens,output_tokens,tpot_ms,batching\n8.03B,256,1000,200,12,open-loop\n",
     "an open-loop row needs its arrival rate, 'request_rate' (requests per second)", loc=(2, 1))
meas("open-loop-without-tpot.csv", MEAS, "params,batch,prompt_tokens,output_tokens,ttft_ms,batching,request_rate\n8.03B,256,1000,200,40,open-loop,3\n",
     "an open-loop row needs its measured 'tpot_ms'", loc=(2, 1))
meas("open-loop-beyond-max-seqs.csv", MEAS, "params,batch,prompt_tokens,output_tokens,tpot_ms,batching,request_rate\n8.03B,16,1000,200,20,open-loop,5\n",
     "keep 19.9 sequences running (Little's law), more than the engine's 16 (the row's batch, its max_num_seqs) allows", loc=(2, 32))
meas("request-rate-on-static-row.csv", MEAS, "params,batch,prompt_tokens,output_tokens,tpot_ms,request_rate\n8.03B,8,512,256,9,4\n",
     "'request_rate' is an open loop's arrival rate; this row's batching is static", loc=(2, 19))
meas("request-rate-zero.csv", MEAS, "params,batch,prompt_tokens,output_tokens,tpot_ms,batching,request_rate\n8.03B,256,1000,200,12,open-loop,0\n",
     "'request_rate' must be between 1e-06 and 1000000, found 0", loc=(2, 33))
meas("prefix-cache-one.csv", MEAS, "params,batch,prompt_tokens,output_tokens,ttft_ms,prefix_cache_hit_rate\n8.03B,1,4096,2,40,0.5\n8.03B,1,4096,2,40,1\n",
     "'prefix_cache_hit_rate' must be at least 0 and below 1", loc=(3, 19))
meas("prefix-cache-negative.csv", MEAS, "params,batch,prompt_tokens,output_tokens,ttft_ms,prefix_cache_hit_rate\n8.03B,1,4096,2,40,-0.5\n",
     "'prefix_cache_hit_rate' must be at least 0, found -0.5", loc=(2, 19))
add("measurements", "binary.csv", bytes(_rng.randrange(256) for _ in range(1000)), CAL, 2, "not valid UTF-8", loc=(1, 1))
meas("huge-prompt.csv", "8.03B,8,512", "8.03B,8,1e20", "'prompt_tokens' must be a whole number", at="1e20")
meas("unknown-hardware.csv", MEAS, MEAS, "unknown hardware 'h100-sxn'", fragment="unknown hardware 'h100-sxn'",
     command="calibrate --hardware h100-sxn $F")
BATCHING = "model,batch,prompt_tokens,output_tokens,tpot_ms,batching\n"
meas("batching-unknown.csv", MEAS, BATCHING + "llama-3.1-8b,8,512,256,8.6,open\n",
     "'batching' must be one of static, closed-loop, open-loop, found 'open'", at="open")
meas("batching-closed-loop-one-output.csv", MEAS, BATCHING + "llama-3.1-8b,8,512,1,8.6,closed-loop\n",
     "a closed loop needs at least 2 output tokens, found 1", at="closed-loop")
meas("batching-closed-loop-fills-budget.csv", MEAS, BATCHING + "llama-3.1-8b,9000,512,256,8.6,closed-loop\n",
     "a closed loop of 9000 clients fills the token budget of 8192 a step with decode tokens", at="closed-loop")
meas("quoted-comma-then-error.csv", "8.03B,8,512,256,bf16,1,,8.6,,illustrative", "8.03B,8,512,256,bf16,1,,8.6x,,\"a, b\"",
     "'tpot_ms' must be a finite number, found '8.6x'", at="8.6x")


# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# Candidate runs: `scaleplan select FILE --target-params 7e9`.

SEL = """\
candidate,params,tokens,seed,loss,done
alpha,1e7,2e8,1,4.61,no
alpha,3e7,6e8,1,3.98,no
alpha,1e8,2e9,1,3.45,no
alpha,3e8,6e9,1,3.08,no
alpha,1e9,2e10,1,2.79,no
beta,1e7,2e8,1,4.55,no
beta,3e7,6e8,1,3.95,no
beta,1e8,2e9,1,3.44,no
beta,3e8,6e9,1,3.09,no
beta,1e9,2e10,1,2.81,no
"""
SELECT = "select $F --target-params 7e9 --bootstrap 20 --next-runs 0"


def sel(name, old, new, message, at=None, command=SELECT, exit_code=2, base=SEL, **kw):
    assert old in base, (name, old)
    add("selection", name, base.replace(old, new, 1), command, exit_code, message, at=at, **kw)


sel("empty-candidate.csv", "beta,3e7", ",3e7", "the candidate name is empty", loc=(8, 1))
sel("word-loss.csv", "3.08", "three", "column 'loss' must be a finite number, found 'three'", at="three")
sel("negative-loss.csv", "3.45", "-3.45", "the metric must be a positive number", at="-3.45")
sel("zero-params.csv", "alpha,3e8", "alpha,0", "column 'params' must be greater than 0", at=("alpha,0", 6))
sel("missing-metric-column.csv", SEL, SEL, "there is no column 'err' (set with --metric-column)", loc=(1, 1),
    command=SELECT + " --metric-column err")
sel("accuracy-above-one.csv", "2.79", "0.79", "an accuracy in [0, 1), found 3.45", at="3.45",
    base=SEL.replace("4.61", "0.21").replace("3.98", "0.25").replace("3.08", "0.3"),
    command=SELECT + " --higher-is-better")
sel("bad-partial-flag.csv", "2.81,no", "2.81,maybe", "column 'done' must be true or false", at="maybe",
    command=SELECT + " --partial-column done")
sel("all-partial.csv", SEL, SEL.replace(",no", ",yes"), "every run is marked partial", command=SELECT + " --partial-column done")
sel("too-few-sizes.csv", "beta,3e7,6e8,1,3.95,no\nbeta,1e8,2e9,1,3.44,no\nbeta,3e8,6e9,1,3.09,no\n", "",
    "candidate 'beta': 2 runs at 2 distinct points; the size law has 3 parameters")
sel("tokens-law-without-tokens.csv", SEL, "candidate,params,loss\n" + "".join(f"a,{n},{l}\n" for n, l in [(1e7, 4.6), (3e7, 4.0), (1e8, 3.4), (3e8, 3.1), (1e9, 2.8), (3e9, 2.6)]),
    "the overtrain law reads tokens, and the runs give none", command=SELECT + " --law overtrain --target-tokens 1e11")
sel("missing-target-tokens.csv", SEL, SEL, "the chinchilla law needs target tokens (--target-tokens)", command=SELECT + " --law chinchilla")
sel("compute-target-finetune.csv", SEL, SEL, "a compute target has no meaning for the finetune law",
    command="select $F --target-compute 1e22 --law finetune --bootstrap 20")
sel("through-loss-missing-column.csv", SEL, SEL, "there is no column 'val' (set with --through-loss)", loc=(1, 1),
    command=SELECT + " --through-loss val")
sel("through-loss-bad-cell.csv", "2.79,no,3", "2.79,no,x", "column 'val' must be a finite number, found 'x'", at=("no,x", 3),
    base=SEL.replace("loss,done", "loss,done,val").replace(",no\n", ",no,3\n"), command=SELECT + " --through-loss val")


# ---------------------------------------------------------------------------------------------
# Mixture of experts: scenarios comparing architectures (`validate`), runs for `moe fit`, and
# `estimate` flags on catalogue MoE models.

MOE_SCEN = SCENARIO.replace("law:\n  preset: hoffmann2022", "law:\n  moe: ludziejewski2025").replace(
    "  tokens_per_param: [5, 2000]\n", "  tokens_per_param: [5, 2000]\n  architecture: [dense, moe]\n  moe:\n    experts: [8, 32]\n    active_experts: [1]\n")
assert "architecture" in MOE_SCEN and "moe: ludziejewski2025" in MOE_SCEN


def moe_scen(name, old, new, message, at=None, **kw):
    assert old in MOE_SCEN, (name, old)
    add("moe", name, MOE_SCEN.replace(old, new, 1), VALIDATE, 2, message, at=at, **kw)


moe_scen("unknown-architecture.yaml", "[dense, moe]", "[dense, sparse]", "expected one of dense, moe", at="sparse")
moe_scen("architecture-twice.yaml", "[dense, moe]", "[moe, moe]", "architecture 'moe' is listed twice", at=("moe]", 0), occurrence=1)
moe_scen("dense-law-with-architecture.yaml", "  moe: ludziejewski2025", "  preset: hoffmann2022",
         "comparing architectures needs the joint law", at="[dense, moe]")
moe_scen("moe-without-settings.yaml", "  moe:\n    experts: [8, 32]\n    active_experts: [1]\n", "",
         "architecture 'moe' needs a 'moe' section", at="[dense, moe]")
moe_scen("one-expert.yaml", "experts: [8, 32]", "experts: [1, 32]", "must be a whole number from 2 to 1024", at=("1, 32]", 0))
moe_scen("active-not-below-experts.yaml", "active_experts: [1]", "active_experts: [32]", "no MoE option has more experts than active experts",
         at="experts: [8, 32]")
moe_scen("too-many-options.yaml", "experts: [8, 32]", "experts: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]",
         "compare at most 16 architectures", at="[dense, moe]")
moe_scen("unknown-joint-law.yaml", "moe: ludziejewski2025", "moe: clark2022", "expected one of ludziejewski2025", at="clark2022")
moe_scen("moe-settings-without-architecture.yaml", "  architecture: [dense, moe]\n", "", "'moe' settings need 'architecture",
         at=("experts: [8", 0))
moe_scen("architecture-with-sizes.yaml", "  architecture: [dense, moe]\n", "  sizes: [8B, 70B]\n  architecture: [dense, moe]\n",
         "give either 'architecture' or 'family'/'sizes'", at="[dense, moe]")
moe_scen("bad-moe-mfu.yaml", "active_experts: [1]\n", "active_experts: [1]\n    mfu: 1.5\n", "must be between 0.001 and 1", at="1.5")
add("moe", "moe-size-with-dense-law.yaml", SCENARIO.replace("  tokens_per_param: [5, 2000]\n", "  tokens_per_param: [5, 2000]\n  sizes: [qwen3-8b, qwen3-30b-a3b]\n"),
    VALIDATE, 2, "qwen3-30b-a3b is a mixture of experts; a dense law cannot price it", at="params: [1B")

MOE_RUNS = "params,tokens,experts,loss\n" + "".join(
    f"{n:g},{d:g},{e},{l}\n" for n, d, e, l in [(1e8, 2e9, 1, 3.4), (3e8, 6e9, 1, 3.0), (1e9, 2e10, 1, 2.7), (1e8, 2e9, 8, 3.2),
                                            (3e8, 6e9, 8, 2.9), (1e9, 2e10, 8, 2.6), (1e8, 2e9, 32, 3.1), (3e8, 6e9, 32, 2.8),
                                            (1e9, 2e10, 32, 2.55), (3e8, 2e10, 4, 2.8)])
MOE_FIT = "moe fit $F --law joint"


def moe_runs(name, old, new, message, at=None, command=MOE_FIT, base=MOE_RUNS, **kw):
    assert old in base, (name, old)
    add("moe", name, base.replace(old, new, 1), command, 2, message, at=at, **kw)


moe_runs("fractional-experts.csv", "3e+08,6e+09,8,", "3e+08,6e+09,8.5,", "must be a whole number of experts", at="8.5")
moe_runs("zero-experts.csv", "1e+09,2e+10,32,", "1e+09,2e+10,0,", "must be a whole number of experts", at=("0,2.55", 0))
moe_runs("word-loss.csv", "2.55", "low", "column 'loss' must be a finite number, found 'low'", at="low")
moe_runs("missing-experts-column.csv", "params,tokens,experts,loss", "params,tokens,e,loss", "there is no column 'experts' (set with --third-column)",
         loc=(1, 1))
moe_runs("one-expert-count.csv", MOE_RUNS, "params,tokens,experts,loss\n" + "".join(f"{n:g},{d:g},1,{l}\n" for n, d, l in
         [(1e8, 2e9, 3.4), (3e8, 6e9, 3.0), (1e9, 2e10, 2.7), (1e8, 6e9, 3.1), (3e8, 2e10, 2.8), (1e9, 2e9, 2.9),
          (1e8, 2e10, 3.0), (3e8, 2e9, 3.2), (1e9, 6e9, 2.75), (2e9, 2e10, 2.6)]),
         "the runs take 1 value(s) of experts; the joint law needs at least 3")
moe_runs("granularity-below-one.csv", "params,tokens,experts,loss", "params,tokens,granularity,loss", "must be a granularity from 1",
         at=("0,2.55", 0), command="moe fit $F --law granularity", base=MOE_RUNS.replace("1e+09,2e+10,32,", "1e+09,2e+10,0,"))

EST = "estimate --hardware h100-sxm --model {} --batch 1 --prompt-tokens 100 --output-tokens 100 {}"
add("moe", "expert-parallel-dense.txt", "estimate flags\n", EST.format("llama-3.1-8b", "--devices 2 --expert-parallel 2"), 2,
    "--expert-parallel needs a mixture-of-experts model; llama-3.1-8b is dense", where="")
add("moe", "expert-parallel-not-dividing.txt", "estimate flags\n", EST.format("mixtral-8x7b", "--devices 4 --expert-parallel 3"), 2,
    "--expert-parallel must be at least 1 and divide the 4 devices of a pipeline stage", where="")
add("moe", "pipeline-not-dividing.txt", "estimate flags\n", EST.format("llama-3.1-8b", "--devices 4 --pipeline-parallel 3"), 2,
    "--pipeline-parallel must be at least 1 and divide --devices (4), found 3", where="")
add("moe", "pipeline-beyond-layers.txt", "estimate flags\n", EST.format("llama-3.2-1b", "--devices 32 --pipeline-parallel 32"), 2,
    "the pipeline stages (32) cannot exceed the 16 layers", where="")
add("moe", "non-experts-dense.txt", "estimate flags\n", EST.format("qwen3-8b", "--precision int4 --bf16-layers non-experts"), 2,
    "--bf16-layers non-experts needs a mixture-of-experts model", where="")
add("moe", "fp4-kv-cache.txt", "estimate flags\n", EST.format("gpt-oss-120b", "--precision mxfp4 --kv-cache-precision mxfp4"), 2,
    "the KV cache cannot be stored in mxfp4", where="")
add("moe", "imbalance-below-one.txt", "estimate flags\n", EST.format("mixtral-8x7b", "--devices 2 --expert-parallel 2 --routing-imbalance 0.5"), 2,
    "--routing-imbalance must be at least 1", where="")
add("moe", "unknown-moe-preset.txt", "moe flags\n", "moe optimum --preset clark2022 --compute 1e21", 2, "Unknown MoE preset 'clark2022'", where="")
add("moe", "experts-list-word.txt", "moe flags\n", "moe optimum --preset ludziejewski2025 --compute 1e21 --experts 1,eight", 2,
    "--experts: 'eight' is not a whole number", where="")

MOE_DOWN = """\
scenario: corpus-downscale
law: { moe: ludziejewski2025 }
training: { hardware: h100-sxm, mfu: 0.42 }
downscale:
  reference: { params: 8B }
  devices: [apple-m3-max]
  prompt_tokens: 400
  output_tokens: 200
  architecture: [dense, moe]
  moe: { experts: [4, 64] }
"""
add("moe", "downscale-architecture-with-sizes.yaml", MOE_DOWN.replace("  architecture:", "  sizes: [1B, 3B]\n  architecture:"),
    "downscale $F", 2, "give either 'architecture' or 'family'/'sizes' in 'downscale'", at="[dense, moe]")
add("moe", "downscale-architecture-dense-law.yaml", MOE_DOWN.replace("law: { moe: ludziejewski2025 }", "law: { preset: hoffmann2022 }"),
    "downscale $F", 2, "comparing architectures needs the joint law", at="[dense, moe]")
add("scenario", "downscale-shared-prefix-whole-prompt.yaml", MOE_DOWN.replace("  output_tokens: 200\n", "  output_tokens: 200\n  shared_prefix_tokens: 400\n"),
    "downscale $F", 2, "'downscale.shared_prefix_tokens' must be a whole number from 0 to 399", at=("shared_prefix_tokens: 400", len("shared_prefix_tokens: ")))



# Capacity purchasing (inference.purchasing).
PURCHASE_AT = "    tpot_ms: 60\n"
def purchase(name, block, message, at):
    scen(name, PURCHASE_AT, PURCHASE_AT + "  purchasing:\n" + block, message, at=at)
purchase("purchasing-discount-above-range.yaml", "    reserved: {term_months: 12, discount: 1.2}\n",
         "'inference.purchasing.reserved.discount' must be between 0 and 0.95, found 1.2", at="1.2")
purchase("purchasing-term-zero.yaml", "    reserved: {term_months: 0, discount: 0.3}\n",
         "'inference.purchasing.reserved.term_months' must be a whole number from 1 to 120, found '0'", at=("0, discount", 0))
purchase("purchasing-discount-unknown-hardware.yaml", "    reserved: {term_months: 12, discount: {a100-80gb: 0.3}}\n",
         "unknown key 'a100-80gb' in 'inference.purchasing.reserved.discount'", at="a100-80gb")
purchase("purchasing-discount-missing.yaml", "    reserved: {term_months: 12}\n",
         "'inference.purchasing.reserved' has no 'discount', and no listed accelerator's profile states one for a 12-month term",
         at="{term_months")
purchase("purchasing-discount-text.yaml", "    reserved: {term_months: 12, discount: large}\n",
         "'inference.purchasing.reserved.discount' must be a finite number", at="large}")
purchase("purchasing-discount-hardware-above-range.yaml", "    reserved: {term_months: 12, discount: {l40s: 0.99}}\n",
         "'inference.purchasing.reserved.discount.l40s' must be between 0 and 0.95, found 0.99", at="0.99")
purchase("purchasing-discount-empty.yaml", "    reserved: {term_months: 12, discount: {}}\n",
         "'inference.purchasing.reserved.discount' needs a fraction", at="{}}")
purchase("purchasing-change-cost-negative.yaml", "    change_cost_replica_hours: -1\n",
         "'inference.purchasing.change_cost_replica_hours' must be between 0 and 8766, found -1", at="-1")
purchase("purchasing-unknown-key.yaml", "    min_replicas: 2\n",
         "unknown key 'min_replicas' in 'inference.purchasing'", at="min_replicas")

# The base scenario's monthly forecast, which some cases turn into a lifetime token total.
FORECAST_DEMAND = ("    requests_per_day: 50M\n    growth_per_month: 0.05\n    horizon_months: 24\n"
                   "    prompt_tokens: 800\n    output_tokens: 300\n    peak_to_mean: 2.5\n")

# Per-option minimum replica counts (inference.min_replicas).
MIN_AT = "    tpot_ms: 60\n"
scen("min-replicas-zero.yaml", MIN_AT, MIN_AT + "  min_replicas: 0\n",
     "'inference.min_replicas' must be a whole number from 1 to 10000", at=("0\nobjectives", 0))
scen("min-replicas-fraction.yaml", MIN_AT, MIN_AT + "  min_replicas: {l40s: 1.5}\n",
     "'inference.min_replicas.l40s' must be a whole number from 1 to 10000", at="1.5")
scen("min-replicas-unknown-hardware.yaml", MIN_AT, MIN_AT + "  min_replicas: {a100-80gb: 2}\n",
     "unknown key 'a100-80gb' in 'inference.min_replicas'", at="a100-80gb")
scen("min-replicas-above-cap.yaml", MIN_AT, MIN_AT + "  max_devices: {l40s: 2}\n  min_replicas: {l40s: 3}\n",
     "'min_replicas' asks for 3 replicas of l40s, but 'max_devices' allows only 2 devices of it", at="{l40s: 3}")
scen("min-replicas-token-total.yaml", FORECAST_DEMAND,
     "    tokens: 2T\n    prompt_tokens: 800\n    output_tokens: 300\n", "'min_replicas' needs a monthly forecast", at="{l40s: 2}",
     base=SCENARIO.replace(MIN_AT, MIN_AT + "  min_replicas: {l40s: 2}\n"))

# Output-length histograms (inference.demand.output_tokens: {histogram: [...]}).
OUT_AT = "    output_tokens: 300\n"
def hist(name, bins, message, at):
    scen(name, OUT_AT, "    output_tokens:\n      histogram: " + bins + "\n", message, at=at)
hist("histogram-shares-sum.yaml", "[{tokens: 100, share: 0.5}, {tokens: 600, share: 0.4}]",
     "the histogram's shares must sum to 1, found 0.9", at=("histogram:", 0))
hist("histogram-one-token.yaml", "[{tokens: 1, share: 0.5}, {tokens: 600, share: 0.5}]",
     "'inference.demand.output_tokens.histogram[0].tokens' must be a whole number from 2 to 10000000", at="1, share")
hist("histogram-length-twice.yaml", "[{tokens: 600, share: 0.5}, {tokens: 600, share: 0.5}]",
     "the output length 600 is listed twice in the histogram", at="600, share: 0.5}]")
hist("histogram-unknown-key.yaml", "[{tokens: 100, weight: 0.5}]",
     "unknown key 'weight' in 'inference.demand.output_tokens.histogram[0]'", at="weight")
hist("histogram-empty.yaml", "[]", "'inference.demand.output_tokens.histogram' must not be an empty list", at="[]")
hist("histogram-share-negative.yaml", "[{tokens: 100, share: -0.5}, {tokens: 600, share: 1.5}]",
     "'inference.demand.output_tokens.histogram[0].share' must be", at="-0.5")
# Found by the seed-11 soak: a lifetime total of 5e-324 tokens made 2N x tokens underflow
# differently in the planner and in its independent check.
scen("lifetime-tokens-denormal.yaml", FORECAST_DEMAND, "    tokens: 5e-324\n    prompt_tokens: 800\n    output_tokens: 300\n",
     "'inference.demand.tokens' must be between 1 and 1e+30, found 5e-324", at="5e-324")
scen("histogram-token-total.yaml", FORECAST_DEMAND,
     "    tokens: 2T\n    prompt_tokens: 800\n    output_tokens: {histogram: [{tokens: 300, share: 1}]}\n",
     "an output_tokens histogram needs a monthly forecast (horizon_months)", at="{histogram")

def main():
    for kind in KINDS:
        shutil.rmtree(os.path.join(HERE, kind), ignore_errors=True)
    for rel, data in sorted(files.items()):
        path = os.path.join(HERE, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    os.makedirs(os.path.join(HERE, "hardware", "empty-dir"), exist_ok=True)
    with open(os.path.join(HERE, "MANIFEST.tsv"), "w", encoding="utf-8") as f:
        f.write("# file\texit\tlocation\tmessage\tcommand\twhat\n")
        f.write("# Generated by generate.py. $F is the case's path from the repository root; the one line on stderr must\n")
        f.write("# start with 'error: LOCATION: ' (when a location is given) and contain MESSAGE.\n")
        for rel, exit_code, location, message, command, what in cases:
            f.write(f"{rel}\t{exit_code}\t{location}\t{message}\t{command}\t{what}\n")
    print(f"{len(cases)} cases, {len(files)} files")


main()
