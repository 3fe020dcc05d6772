#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate large, realistic `netsh wfp show filters` / `show state` XML dumps.

Benchmark input for `fwp import` (issue #4: "a 100k-filter dump imports and
builds in seconds").  The output is byte-for-byte in netsh's format (UTF-8 BOM,
XML declaration, tab indentation, `<x/>` for empty elements, `numItems`
attributes, same element order), deterministic for a given seed.

How it is made realistic
------------------------
Every generated filter is a copy of the *shape* of a real filter taken from the
dumps in shared/data/netsh-dumps: layer, sublayer, provider, flags, action
(callout key included), weight type and value, providerContextKey/rawContext,
and the list of (fieldKey, matchType, value type) conditions.  The condition
*values* are varied: application paths (UTF-16LE, NUL-terminated hex plus
asString), service / package SIDs in security descriptors, ports, port ranges,
IPv4/IPv6 addresses, masks and ranges, protocol numbers.  Shapes are drawn from
four pools so a large dump looks like a big enterprise policy:

    app      70%  per-application rules in FWPM_SUBLAYER_MPSSVC_WF (ALE_APP_ID)
    block    20%  remote-address rules (blocklists: v4/v6 masks, ranges, hosts)
    callout   1%  callout filters (the callouts are listed in `state` dumps)
    other     9%  everything else, in the proportions of the real dumps

Each filter carries the effectiveWeight Windows would compute, from the
executable reference model tools/weight_reference.py; shapes the model cannot
compute (UnknownSlot) are never sampled.  All shapes of one dump come from real
dumps of a single Windows build profile (--profile), so the whole dump is
consistent.  Providers (and for `state`: sublayers with their weights,
provider contexts, and every layer with its callouts) are consistent with what
the filters reference.  Layers known only by GUID are left out unless
--include-unknown is given.

Usage
-----
    python3 bench/gen_netsh_dump.py --filters 100000 --seed 1 --format filters -o big.xml
    python3 bench/gen_netsh_dump.py --filters 100000 --seed 1 --format state -o big_state.xml \
        [--profile win11|win10|vpnwin] [--crlf] [--encoding utf-8|utf-16] [--include-unknown]
    python3 bench/gen_netsh_dump.py --check big.xml [--stats]

--check re-reads a dump with the tools/weight_reference.py logic, asserts that
every effectiveWeight agrees with the model and that every filterId and
filterKey is unique (and, for state dumps, that referenced sublayers, providers,
provider contexts and callouts exist), and prints counts; --stats adds the
distribution of layers, actions and condition types.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import glob
import hashlib
import ipaddress
import itertools
import os
import pickle
import random
import re
import sys
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tools"))
import weight_reference as wr  # noqa: E402

DEFAULT_DUMPS = os.environ.get("NETSH_DUMPS", "/work/shared/data/netsh-dumps")

POOL_MIX = (("app", 0.70), ("block", 0.20), ("callout", 0.01), ("other", 0.09))

# ---------------------------------------------------------------------------
# A tiny netsh-style XML writer.  Nodes are (tag, attrs, text, children).
# ---------------------------------------------------------------------------


def esc(s: str) -> str:
    # netsh writes quotes raw (security descriptors contain "...") and wraps text
    # holding markup characters in CDATA ("<![CDATA[Solitaire & Casual Games]]>").
    if "&" in s or "<" in s or ">" in s:
        return "<![CDATA[%s]]>" % s.replace("]]>", "]]]]><![CDATA[>")
    return s


def from_et(e: ET.Element):
    kids = [from_et(c) for c in e]
    text = None if kids else e.text
    return (e.tag, tuple(e.attrib.items()), text, kids)


def ser(node, depth: int, out: list) -> None:
    tag, attrs, text, kids = node
    ind = "\t" * depth
    a = "".join(' %s="%s"' % kv for kv in attrs)
    if kids:
        out.append("%s<%s%s>\n" % (ind, tag, a))
        for k in kids:
            ser(k, depth + 1, out)
        out.append("%s</%s>\n" % (ind, tag))
    elif text is None or text == "":
        out.append("%s<%s%s/>\n" % (ind, tag, a))
    else:
        out.append("%s<%s%s>%s</%s>\n" % (ind, tag, a, esc(text), tag))


def ser_str(node, depth: int) -> str:
    out: list = []
    ser(node, depth, out)
    return "".join(out)


def leaf(tag, text):
    return (tag, (), None if text is None else str(text), [])


def listnode(tag, kids):
    return (tag, (("numItems", str(len(kids))),) if kids else (), None, kids)


# ---------------------------------------------------------------------------
# Loading real dumps and extracting shapes
# ---------------------------------------------------------------------------


def read_dump_text(path: str) -> str:
    with open(path, "rb") as fh:
        raw = fh.read()
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def parse_dump(path: str) -> ET.Element:
    """Same wrapping as weight_reference.load_dump, but also reads UTF-16 dumps."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", read_dump_text(path))
    return ET.fromstring("<root>" + text + "</root>")


def dump_profile(root, filters) -> str:
    """The profile `weight_reference.py --check` would pick for this dump."""
    p = wr.detect_profile(root)
    if p is None:
        scores = {q: wr.check_filters(filters, q)[0] for q in sorted(wr.PROFILES)}
        p = max(scores, key=lambda q: (scores[q], q == wr.DEFAULT_PROFILE))
    return p


def filter_elements(root):
    return [it for it in root.iter("item")
            if it.find("filterId") is not None and it.find("effectiveWeight") is not None]


def is_guid(key) -> bool:
    return bool(key) and key.startswith("{")


class Shape:
    __slots__ = ("node", "layer", "sublayer", "provider", "action", "callout", "conds",
                 "weight_type", "weight_value", "count", "pool", "src", "pc_key")

    def __init__(self, it: ET.Element, src: str):
        self.node = from_et(it)
        self.layer = it.findtext("layerKey")
        self.sublayer = it.findtext("subLayerKey")
        self.provider = it.findtext("providerKey")
        self.action = it.find("action").findtext("type")
        self.callout = it.find("action").findtext("filterType") if "CALLOUT" in self.action else None
        self.pc_key = it.findtext("providerContextKey")
        w = it.find("weight")
        self.weight_type, self.weight_value = wr._xml_value(w)
        self.conds = []
        fc = it.find("filterCondition")
        for c in (fc.findall("item") if fc is not None else []):
            self.conds.append((c.findtext("fieldKey"), c.findtext("matchType"),
                               c.find("conditionValue").findtext("type")))
        self.count = 1
        self.src = src
        fields = {f for f, _, _ in self.conds}
        if self.callout:
            self.pool = "callout"
        elif self.sublayer == "FWPM_SUBLAYER_MPSSVC_WF" and "FWPM_CONDITION_ALE_APP_ID" in fields:
            self.pool = "app"
        elif "FWPM_CONDITION_IP_REMOTE_ADDRESS" in fields and self.action == "FWP_ACTION_BLOCK":
            self.pool = "block"
        else:
            self.pool = "other"

    def key(self):
        n = self.node
        flags = [k for k in n[3] if k[0] == "flags"][0]
        return (self.layer, self.sublayer, self.provider, self.action, self.callout, self.pc_key,
                str(flags), self.weight_type, str(self.weight_value), tuple(self.conds),
                tuple(k[0] for k in n[3]))


class Corpus:
    """Everything sampled from the real dumps of one profile."""

    def __init__(self, dump_dir: str, profile: str, fmt: str, include_unknown: bool):
        paths = sorted(glob.glob(os.path.join(dump_dir, "*.xml")))
        if not paths:
            sys.exit("no dumps in %s (set --dumps or NETSH_DUMPS)" % dump_dir)
        self.shapes: dict = {}
        self.providers: dict = {}  # key -> node
        self.sublayers: dict = {}
        self.contexts: dict = {}
        self.callouts: dict = {}  # callout key -> (layer, node)
        self.base = None  # (root, path) of the state dump used as skeleton
        self.sources = []
        self.layer_order = []  # layer enumeration order of a show-state dump
        seen_text = set()
        for path in paths:
            root = parse_dump(path)
            items = filter_elements(root)
            flist = list(wr.iter_filters(root))
            if dump_profile(root, flist) != profile:
                continue
            state = root.find("wfpstate") is not None
            if state and not self.layer_order:
                self.layer_order = [li.find("layer").findtext("layerKey")
                                    for li in root.find("wfpstate").find("layers").findall("item")]
            if fmt == "state" and not state:
                continue  # show-filters dumps lack provider contexts / sublayers / callouts
            sig = (len(items), os.path.getsize(path))
            if sig in seen_text:
                continue  # identical copy of a dump already read
            seen_text.add(sig)
            self.sources.append(os.path.basename(path))
            for it, f in zip(items, flist):
                try:
                    ew = wr.effective_weight(f["layer"], f["weight"]["type"], f["weight"]["value"],
                                             f["conditions"], profile)
                except (wr.UnknownSlot, ValueError):
                    continue
                if ew != f["effective_weight"]:
                    continue
                if is_guid(f["layer"]) and not include_unknown:
                    continue
                s = Shape(it, os.path.basename(path))
                k = s.key()
                if k in self.shapes:
                    self.shapes[k].count += 1
                else:
                    self.shapes[k] = s
            for sec, dst, keytag in (("providers", self.providers, "providerKey"),
                                     ("subLayers", self.sublayers, "subLayerKey"),
                                     ("providerContexts", self.contexts, "providerContextKey")):
                for top in root:
                    node = top.find(sec)
                    if node is None:
                        continue
                    for it in node.findall("item"):
                        dst.setdefault(it.findtext(keytag), from_et(it))
            if state:
                ws = root.find("wfpstate")
                for li in ws.find("layers").findall("item"):
                    lk = li.find("layer").findtext("layerKey")
                    for co in li.find("callouts").findall("item"):
                        self.callouts.setdefault(co.findtext("calloutKey"), (lk, from_et(co)))
                if self.base is None or len(items) > self.base[2]:
                    self.base = (root, path, len(items))
            elif fmt == "filters" and (self.base is None or len(items) > self.base[2]):
                self.base = (root, path, len(items))
        if not self.shapes:
            sys.exit("no usable %s dumps for profile %s in %s" % (fmt, profile, dump_dir))
        self._derive_blocklists(profile)
        # Deterministic pool tables (shapes in first-seen order; dict order is stable).
        self.pools = {}
        for name, _ in POOL_MIX:
            ss = [s for s in self.shapes.values() if s.pool == name]
            if fmt == "state":
                ss = [s for s in ss if self._resolvable(s)]
            if ss:
                cum = list(itertools.accumulate(s.count for s in ss))
                self.pools[name] = (ss, cum)

    def _derive_blocklists(self, profile: str) -> None:
        """Remote-address block rules, derived from real MPSSVC_WF allow rules.

        The real dumps hold almost no remote-address block filters, but plenty of
        MPSSVC_WF rules with IP_REMOTE_ADDRESS conditions.  A firewall block rule
        differs from them only in its action and in MPSSVC's rule-class weight
        (block rules carry FWP_UINT8 10 in the dumps), so each such shape yields
        block-rule shapes: action BLOCK, weight 10, no application condition,
        and 1..16 OR'ed remote-address conditions (masks or single hosts).
        """
        rng = random.Random(0)
        varier = Varier(rng)
        for s in list(self.shapes.values()):
            if (s.sublayer != "FWPM_SUBLAYER_MPSSVC_WF" or s.action != "FWP_ACTION_PERMIT"
                    or s.weight_type != "FWP_UINT8"
                    or s.layer.removeprefix("FWPM_LAYER_")[:-3] not in ("ALE_AUTH_CONNECT", "ALE_AUTH_RECV_ACCEPT")
                    or not any(f == "FWPM_CONDITION_IP_REMOTE_ADDRESS" for f, _, _ in s.conds)):
                continue
            v6 = wr.is_v6_layer(s.layer)
            fc = [k for k in s.node[3] if k[0] == "filterCondition"][0]
            keep = [c for c in fc[3] if c[3][0][2] not in (
                "FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWPM_CONDITION_ALE_APP_ID")]
            for n_addr in (1, 2, 4, 16):
                for ctype in (("FWP_V6_ADDR_MASK", "FWP_BYTE_ARRAY16_TYPE") if v6
                              else ("FWP_V4_ADDR_MASK", "FWP_UINT32")):
                    addr = []
                    for _ in range(n_addr):
                        cv, _v = varier.value("FWPM_CONDITION_IP_REMOTE_ADDRESS", "FWP_MATCH_EQUAL",
                                              ctype, None, None, v6, None)
                        addr.append(("item", (), None, [
                            leaf("fieldKey", "FWPM_CONDITION_IP_REMOTE_ADDRESS"),
                            leaf("matchType", "FWP_MATCH_EQUAL"), cv]))
                    kids = []
                    for k in s.node[3]:
                        if k[0] == "action":
                            k = ("action", (), None, [leaf("type", "FWP_ACTION_BLOCK")] + k[3][1:])
                        elif k[0] == "weight":
                            k = ("weight", (), None, [leaf("type", "FWP_UINT8"), leaf("uint8", 10)])
                        elif k[0] == "displayData":
                            k = ("displayData", (), None, [k[3][0], leaf(
                                "description", "Enterprise blocklist: blocks the listed remote addresses")])
                        elif k[0] == "filterCondition":
                            k = listnode("filterCondition", keep + addr)
                        kids.append(k)
                    d = Shape(to_et((s.node[0], s.node[1], None, kids)), s.src + "(derived)")
                    d.pool = "block"
                    try:
                        wr.effective_weight(d.layer, d.weight_type, d.weight_value,
                                            [{"field": f, "match": m, "type": t, "value": v}
                                             for (f, m, t), (_, v) in zip(d.conds, cond_values(d))],
                                            profile)
                    except wr.UnknownSlot:
                        continue
                    d.count = s.count * (4 if n_addr == 1 else 1)
                    self.shapes.setdefault(d.key(), d)

    def _resolvable(self, s: Shape) -> bool:
        if s.callout and s.callout not in self.callouts:
            return False
        if s.pc_key and s.pc_key not in self.contexts:
            return False
        return True

    def pick(self, rng: random.Random) -> Shape:
        """A shape: first its pool (POOL_MIX, renormalised over the pools this
        profile has), then a shape of the pool, weighted by real occurrences."""
        if not hasattr(self, "_mix"):
            present = [(n, p) for n, p in POOL_MIX if n in self.pools]
            self._mix = ([n for n, _ in present],
                         list(itertools.accumulate(p for _, p in present)))
        names, cum_p = self._mix
        name = names[min(bisect.bisect_right(cum_p, rng.random() * cum_p[-1]), len(names) - 1)]
        ss, cum = self.pools[name]
        return ss[min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(ss) - 1)]


# ---------------------------------------------------------------------------
# Value generators
# ---------------------------------------------------------------------------
VENDORS = ["contoso", "fabrikam", "northwind", "adventureworks", "tailspin", "wingtip",
           "litware", "proseware", "woodgrove", "fourthcoffee", "alpineski", "blueyonder",
           "coho", "lucerne", "margie", "treyresearch", "wideworld", "humongous"]
PRODUCTS = ["agent", "client", "updater", "sync", "browser", "vpn", "backup", "chat", "mail",
            "office", "studio", "player", "monitor", "scanner", "gateway", "service", "helper",
            "launcher", "cloud", "meet", "drive", "edr", "sensor", "db", "cad", "erp"]
ROOTS = ["program files", "program files (x86)", "programdata", "users\\%s\\appdata\\local"]
USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
SYSTEM_APPS = ["\\device\\harddiskvolume3\\windows\\system32\\svchost.exe",
               "\\device\\harddiskvolume3\\windows\\system32\\lsass.exe",
               "\\device\\harddiskvolume3\\windows\\system32\\spoolsv.exe",
               "\\device\\harddiskvolume3\\windows\\system32\\msdtc.exe",
               "\\device\\harddiskvolume3\\windows\\system32\\dns.exe"]
COMMON_PORTS = [20, 21, 22, 23, 25, 53, 67, 68, 80, 88, 110, 123, 135, 137, 138, 139, 143, 161,
                389, 443, 445, 464, 500, 514, 587, 636, 993, 995, 1433, 1434, 1701, 1723, 1812,
                2179, 3268, 3306, 3389, 4500, 5060, 5353, 5355, 5432, 5985, 5986, 8080, 8443, 9000]


def app_path(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.08:
        p = rng.choice(SYSTEM_APPS)
        return p, p.rsplit("\\", 1)[1][:-4]
    vendor = rng.choice(VENDORS)
    prod = rng.choice(PRODUCTS)
    root = rng.choice(ROOTS)
    if "%s" in root:
        root = root % rng.choice(USERS)
    n = rng.randrange(1000)
    vol = rng.choice((3, 3, 3, 3, 2, 4))
    exe = "%s%d.exe" % (prod, n) if rng.random() < 0.7 else "%s.exe" % prod
    p = "\\device\\harddiskvolume%d\\%s\\%s\\%s%d\\%s" % (vol, root, vendor, prod, n, exe)
    return p, "%s %s%d" % (vendor.capitalize(), prod.capitalize(), n)


def rand_sub(rng):
    return rng.randrange(1 << 32)


def rand_sid(rng, prefix: str, n: int) -> str:
    return prefix + "-".join(str(rand_sub(rng)) for _ in range(n))


_SID_RE = re.compile(r"S-1-5-(80|21)(?:-\d+)+|S-1-15-2(?:-\d+)+")


def vary_sd(sd: str, rng) -> str:
    def sub(m):
        s = m.group(0)
        if s.startswith("S-1-5-80"):
            return rand_sid(rng, "S-1-5-80-", 5)
        if s.startswith("S-1-5-21"):
            return rand_sid(rng, "S-1-5-21-", 3) + "-" + str(rng.randrange(1000, 100000))
        return rand_sid(rng, "S-1-15-2-", 7)
    sd = _SID_RE.sub(sub, sd)
    return re.sub(r'Contains "([^"_]+)_([a-z0-9]+)"',
                  lambda m: 'Contains "%s.%s%d_%s"' % (
                      rng.choice(VENDORS).capitalize(), rng.choice(PRODUCTS).capitalize(),
                      rng.randrange(100), "".join(rng.choice("abcdefghjkmnpqrstvwxyz0123456789")
                                                  for _ in range(13))), sd)


def rand_public_v4(rng) -> int:
    while True:
        a = rng.randrange(1, 224)
        if a in (10, 127, 0) or a == 100 or a == 169 or a == 172 or a == 192:
            continue
        return (a << 24) | rng.randrange(1 << 24)


def rand_private_v4(rng) -> int:
    r = rng.random()
    if r < 0.5:
        return (10 << 24) | rng.randrange(1 << 24)
    if r < 0.8:
        return (0xAC10 << 16) | rng.randrange(1 << 20)
    return (0xC0A8 << 16) | rng.randrange(1 << 16)


def rand_v6(rng, local=False) -> int:
    if local:
        return (0xFD00 << 112) | rng.randrange(1 << 112)
    return (rng.choice((0x2001, 0x2400, 0x2600, 0x2a00, 0x2a01, 0x2c0f)) << 112) | rng.randrange(1 << 112)


def v4s(x: int) -> str:
    return str(ipaddress.IPv4Address(x))


def v6s(x: int) -> str:
    return str(ipaddress.IPv6Address(x))


def prefix_choice(rng, v6: bool) -> int:
    if v6:
        return rng.choice((128, 128, 128, 64, 64, 56, 48, 32))
    return rng.choice((32, 32, 32, 32, 32, 24, 24, 24, 16, 20, 28, 8))


class Varier:
    """Produces a new conditionValue node and the model's view of it."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def value(self, field: str, match: str, ctype: str, orig_node, orig_value, v6: bool, app):
        rng = self.rng
        f = field.removeprefix("FWPM_CONDITION_")
        local = "LOCAL" in f
        if ctype == "FWP_BYTE_BLOB_TYPE" and f in ("ALE_APP_ID", "ALE_ORIGINAL_APP_ID") and app:
            path = app[0]
            data = (path + "\0").encode("utf-16-le").hex()
            node = ("conditionValue", (), None, [leaf("type", ctype), ("byteBlob", (), None, [
                leaf("data", data), leaf("asString", path)])])
            return node, data
        if ctype == "FWP_SECURITY_DESCRIPTOR_TYPE":
            sd = vary_sd(orig_value, rng) if rng.random() < 0.8 else orig_value
            return ("conditionValue", (), None, [leaf("type", ctype), leaf("sd", sd)]), sd
        if ctype == "FWP_SID" and match == "FWP_MATCH_EQUAL" and orig_value.startswith("S-1-15-2-"):
            sid = rand_sid(rng, "S-1-15-2-", 7)
            return ("conditionValue", (), None, [leaf("type", ctype), leaf("sid", sid)]), sid
        if f in ("IP_LOCAL_PORT", "IP_REMOTE_PORT"):
            if ctype == "FWP_UINT16":
                p = rng.choice(COMMON_PORTS) if rng.random() < 0.7 else rng.randrange(1024, 65536)
                return ("conditionValue", (), None, [leaf("type", ctype), leaf("uint16", p)]), p
            if ctype == "FWP_RANGE_TYPE":
                span = rng.choice((2, 10, 16, 100, 256, 1000, 1024, 4096, 16384))
                lo = rng.randrange(1024, 65536 - span)
                hi = lo + span - 1
                return self._range("FWP_UINT16", "uint16", lo, hi), [lo, hi]
        if f == "IP_PROTOCOL" and ctype == "FWP_UINT8" and orig_value in (6, 17):
            p = 6 if rng.random() < 0.6 else 17
            return ("conditionValue", (), None, [leaf("type", ctype), leaf("uint8", p)]), p
        if f in ("IP_LOCAL_ADDRESS", "IP_REMOTE_ADDRESS"):
            if ctype == "FWP_V4_ADDR_MASK":
                plen = prefix_choice(rng, False)
                a = (rand_private_v4(rng) if local else rand_public_v4(rng)) & ~((1 << (32 - plen)) - 1)
                mask = ((1 << 32) - 1) ^ ((1 << (32 - plen)) - 1)
                node = ("conditionValue", (), None, [leaf("type", ctype), ("v4AddrMask", (), None, [
                    leaf("addr", v4s(a)), leaf("mask", v4s(mask))])])
                return node, "%s/%d" % (v4s(a), plen)
            if ctype == "FWP_V6_ADDR_MASK":
                plen = prefix_choice(rng, True)
                a = rand_v6(rng, local) & ~((1 << (128 - plen)) - 1)
                node = ("conditionValue", (), None, [leaf("type", ctype), ("v6AddrMask", (), None, [
                    leaf("addr", v6s(a)), leaf("prefixLength", plen)])])
                return node, "%s/%d" % (v6s(a), plen)
            if ctype == "FWP_UINT32":
                a = v4s(rand_private_v4(rng) if local else rand_public_v4(rng))
                return ("conditionValue", (), None, [leaf("type", ctype), leaf("uint32", a)]), a
            if ctype == "FWP_BYTE_ARRAY16_TYPE":
                a = v6s(rand_v6(rng, local))
                return ("conditionValue", (), None, [leaf("type", ctype), leaf("byteArray16", a)]), a
            if ctype == "FWP_RANGE_TYPE" and rng.random() < 0.7:
                lo_t = orig_node[3][1][3][0][3][0][2]  # rangeValue/valueLow/type text
                if lo_t == "FWP_UINT32":
                    span = 1 << rng.choice((4, 8, 8, 10, 12, 16))
                    base = (rand_private_v4(rng) if local else rand_public_v4(rng)) & ~(span - 1)
                    lo, hi = v4s(base), v4s(base + span - 1)
                    return self._range("FWP_UINT32", "uint32", lo, hi), [lo, hi]
                if lo_t == "FWP_BYTE_ARRAY16_TYPE":
                    span = 1 << rng.choice((16, 32, 64, 64, 80))
                    base = rand_v6(rng, local) & ~(span - 1)
                    lo, hi = v6s(base), v6s(base + span - 1)
                    return self._range(lo_t, "byteArray16", lo, hi), [lo, hi]
        return orig_node, orig_value

    @staticmethod
    def _range(t, tag, lo, hi):
        return ("conditionValue", (), None, [leaf("type", "FWP_RANGE_TYPE"), ("rangeValue", (), None, [
            ("valueLow", (), None, [leaf("type", t), leaf(tag, lo)]),
            ("valueHigh", (), None, [leaf("type", t), leaf(tag, hi)])])])


def cond_value_from_node(cv):
    """Model view of a conditionValue node (tuple form), like wr._xml_value."""
    e = to_et(cv)
    return wr._xml_value(e)[1]


def cond_values(shape):
    fc = [k for k in shape.node[3] if k[0] == "filterCondition"][0]
    out = []
    for c in fc[3]:
        cv = [cc for cc in c[3] if cc[0] == "conditionValue"][0]
        out.append((cv, cond_value_from_node(cv)))
    return out


def to_et(node):
    tag, attrs, text, kids = node
    e = ET.Element(tag, dict(attrs))
    e.text = text
    for k in kids:
        e.append(to_et(k))
    return e


def new_guid(rng, seen) -> str:
    while True:
        x = rng.getrandbits(128)
        x = (x & ~(0xF << 76)) | (0x4 << 76)  # version 4
        x = (x & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
        h = "%032x" % x
        g = "{%s-%s-%s-%s-%s}" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
        if g not in seen:
            seen.add(g)
            return g


# ---------------------------------------------------------------------------
# Filter generation
# ---------------------------------------------------------------------------


def compile_template(shape: Shape, depth: int):
    """Split a shape's serialisation into literal parts and named holes."""
    parts = []  # str or (hole, depth)
    buf = []

    def flush():
        if buf:
            parts.append("".join(buf))
            buf.clear()

    # filterCondition children need their index in the path: patch walk for that level.
    def walk_fc(node, d):
        tag, attrs, text, kids = node
        ind = "\t" * d
        a = "".join(' %s="%s"' % kv for kv in attrs)
        if not kids:
            buf.append("%s<%s%s/>\n" % (ind, tag, a))
            return
        buf.append("%s<%s%s>\n" % (ind, tag, a))
        for i, c in enumerate(kids):
            buf.append("%s<%s>\n" % ("\t" * (d + 1), c[0]))
            for cc in c[3]:
                if cc[0] == "conditionValue":
                    flush()
                    parts.append((("cv", i), d + 2))
                else:
                    ser(cc, d + 2, buf)
            buf.append("%s</%s>\n" % ("\t" * (d + 1), c[0]))
        buf.append("%s</%s>\n" % (ind, tag))

    tag, attrs, text, kids = shape.node
    buf.append("%s<%s>\n" % ("\t" * depth, tag))
    for k in kids:
        if k[0] == "filterCondition":
            walk_fc(k, depth + 1)
        elif k[0] in ("filterKey", "filterId"):
            flush()
            parts.append((k[0], depth + 1))
        elif k[0] == "displayData":
            buf.append("%s<displayData>\n" % ("\t" * (depth + 1)))
            for dk in k[3]:
                if dk[0] == "name":
                    flush()
                    parts.append(("name", depth + 2))
                else:
                    ser(dk, depth + 2, buf)
            buf.append("%s</displayData>\n" % ("\t" * (depth + 1)))
        elif k[0] == "effectiveWeight":
            buf.append("%s<effectiveWeight>\n" % ("\t" * (depth + 1)))
            for dk in k[3]:
                if dk[0] == "uint64":
                    flush()
                    parts.append(("ew", depth + 2))
                else:
                    ser(dk, depth + 2, buf)
            buf.append("%s</effectiveWeight>\n" % ("\t" * (depth + 1)))
        else:
            ser(k, depth + 1, buf)
    buf.append("%s</%s>\n" % ("\t" * depth, tag))
    flush()
    # Original condition value nodes and their model values.
    cvs = cond_values(shape)
    name = [dk for k in shape.node[3] if k[0] == "displayData" for dk in k[3] if dk[0] == "name"][0]
    return parts, cvs, name[2]


PROTO_NAMES = {6: "TCP", 17: "UDP", 1: "ICMPv4", 58: "ICMPv6"}


class Generator:
    def __init__(self, corpus: Corpus, profile: str, seed: int):
        self.c = corpus
        self.profile = profile
        self.rng = random.Random(seed)
        self.varier = Varier(self.rng)
        self.keys: set = set()
        self.next_id = 70000 + self.rng.randrange(100000)

    def make(self, n: int, depth: int):
        """Yield (layer, shape, text) for n filters."""
        rng = self.rng
        cache: dict = {}
        for _ in range(n):
            s = self.c.pick(rng)
            tpl = cache.get(id(s))
            if tpl is None:
                tpl = cache[id(s)] = compile_template(s, depth)
            parts, cvs, orig_name = tpl
            app = app_path(rng) if s.pool == "app" else None
            v6 = wr.is_v6_layer(s.layer)
            conds = []
            cv_text = []
            for (field, match, ctype), (cv, val) in zip(s.conds, cvs):
                node, mval = self.varier.value(field, match, ctype, cv, val, v6, app)
                conds.append({"field": field, "match": match, "type": ctype, "value": mval})
                cv_text.append(node)
            ew = wr.effective_weight(s.layer, s.weight_type, s.weight_value, conds, self.profile)
            if app is not None:
                proto = next((c["value"] for c in conds if c["field"] == "FWPM_CONDITION_IP_PROTOCOL"), None)
                d = "In" if "RECV_ACCEPT" in s.layer or "LISTEN" in s.layer else "Out"
                name = "%s (%s-%s)" % (app[1], PROTO_NAMES.get(proto, "Any"), d)
            elif s.pool == "block" and s.action == "FWP_ACTION_BLOCK":
                name = "Blocklist %s %d" % ("v6" if v6 else "v4", self.next_id % 9973)
            else:
                name = orig_name
            fid = self.next_id
            self.next_id += 1 + (rng.randrange(4) == 0)
            out = []
            for p in parts:
                if isinstance(p, str):
                    out.append(p)
                    continue
                hole, d = p
                ind = "\t" * d
                if hole == "filterKey":
                    out.append("%s<filterKey>%s</filterKey>\n" % (ind, new_guid(rng, self.keys)))
                elif hole == "filterId":
                    out.append("%s<filterId>%d</filterId>\n" % (ind, fid))
                elif hole == "name":
                    out.append(ser_str(leaf("name", name), d))
                elif hole == "ew":
                    out.append("%s<uint64>%d</uint64>\n" % (ind, ew))
                else:
                    ser(cv_text[hole[1]], d, out)
            yield s, "".join(out)


# ---------------------------------------------------------------------------
# Dump assembly
# ---------------------------------------------------------------------------
XML_DECL = '<?xml version="1.0" encoding="%s" standalone="yes"?>\n'


def group_by_layer(gen_items, order):
    rank = {k: i for i, k in enumerate(order)}
    groups = collections.defaultdict(list)
    for s, text in gen_items:
        groups[s.layer].append((s, text))
    return sorted(groups.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def write_filters_dump(w, corpus, gen, n, include_unknown):
    items = list(gen.make(n, 2))
    groups = group_by_layer(items, corpus.layer_order)
    w("<wfpdiag>\n")
    w('\t<filters numItems="%d">\n' % len(items) if items else "\t<filters/>\n")
    for _layer, fs in groups:
        for _s, text in fs:
            w(text)
    if items:
        w("\t</filters>\n")
    provs = provider_nodes(corpus, {s.provider for s, _ in items})
    out = []
    ser(listnode("providers", provs), 1, out)
    w("".join(out))
    w("</wfpdiag>\n")
    return items


def provider_nodes(corpus, referenced):
    base_root = corpus.base[0]
    base = []
    for top in base_root:
        node = top.find("providers")
        if node is not None:
            base = [from_et(it) for it in node.findall("item")]
            break
    have = {[k for k in p[3] if k[0] == "providerKey"][0][2] for p in base}
    extra = [corpus.providers[k] for k in sorted(k for k in referenced if k and k not in have)
             if k in corpus.providers]
    return base + extra


def write_state_dump(w, corpus, gen, n, include_unknown):
    root = corpus.base[0]
    ws = root.find("wfpstate")
    items = list(gen.make(n, 4))
    by_layer = collections.defaultdict(list)
    for s, text in items:
        by_layer[s.layer].append((s, text))
    w("<wfpstate>\n")
    for sec in ws:
        tag = sec.tag
        if tag == "layers":
            layer_items = []
            for li in sec.findall("item"):
                lk = li.find("layer").findtext("layerKey")
                if is_guid(lk) and not include_unknown:
                    continue
                layer_items.append((li, lk))
            for lk in sorted(set(by_layer) - {lk for _, lk in layer_items}):
                sys.exit("layer %s is not in the base state dump %s" % (lk, corpus.base[1]))
            w('\t<layers numItems="%d">\n' % len(layer_items))
            for li, lk in layer_items:
                w("\t\t<item>\n")
                w(ser_str(from_et(li.find("layer")), 3))
                callouts = [from_et(c) for c in li.find("callouts").findall("item")]
                have = {c.findtext("calloutKey") for c in li.find("callouts").findall("item")}
                need = sorted({s.callout for s, _ in by_layer.get(lk, []) if s.callout} - have)
                for ck in need:
                    callouts.append(corpus.callouts[ck][1])
                w(ser_str(listnode("callouts", callouts), 3))
                fs = by_layer.get(lk, [])
                if fs:
                    w('\t\t\t<filters numItems="%d">\n' % len(fs))
                    for _s, text in fs:
                        w(text)
                    w("\t\t\t</filters>\n")
                else:
                    w("\t\t\t<filters/>\n")
                w("\t\t</item>\n")
            w("\t</layers>\n")
        elif tag == "providers":
            w(ser_str(listnode("providers", provider_nodes(corpus, {s.provider for s, _ in items})), 1))
        elif tag == "providerContexts":
            base = [from_et(it) for it in sec.findall("item")]
            have = {it.findtext("providerContextKey") for it in sec.findall("item")}
            need = sorted({s.pc_key for s, _ in items if s.pc_key} - have)
            w(ser_str(listnode("providerContexts", base + [corpus.contexts[k] for k in need]), 1))
        elif tag == "subLayers":
            base = [from_et(it) for it in sec.findall("item")]
            have = {it.findtext("subLayerKey") for it in sec.findall("item")}
            need = sorted({s.sublayer for s, _ in items if s.sublayer} - have)
            w(ser_str(listnode("subLayers", base + [corpus.sublayers[k] for k in need
                                                    if k in corpus.sublayers]), 1))
        else:
            w(ser_str(from_et(sec), 1))
    w("</wfpstate>\n")
    fw = root.find("firewallState")
    w(ser_str(from_et(fw) if fw is not None else ("firewallState", (), None, [
        leaf("dynamicKeywordAddresses", None)]), 0))
    return items


def cache_dir() -> str:
    d = os.environ.get("GEN_NETSH_DUMP_CACHE")
    if d:
        return d
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "openfwp", "gen_netsh_dump")


def load_corpus(args) -> Corpus:
    """Corpus of shapes, cached (pickle) per dumps/profile/format/script version."""
    h = hashlib.sha256()
    for p in [os.path.abspath(__file__), wr.__file__] + sorted(
            glob.glob(os.path.join(args.dumps, "*.xml"))):
        st = os.stat(p)
        h.update(("%s:%d:%d;" % (p, st.st_size, st.st_mtime_ns)).encode())
    h.update(("%s/%s/%s" % (args.profile, args.format, args.include_unknown)).encode())
    path = os.path.join(cache_dir(), h.hexdigest()[:24] + ".pickle")
    if not args.no_cache:
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.PickleError, EOFError, AttributeError):
            pass
    corpus = Corpus(args.dumps, args.profile, args.format, args.include_unknown)
    if not args.no_cache:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = "%s.%d" % (path, os.getpid())
            with open(tmp, "wb") as fh:
                pickle.dump(corpus, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass
    return corpus


def generate(args) -> int:
    t0 = time.time()
    if args.format == "state" and args.profile == "vpnwin":
        sys.exit("no show-state dump of the vpnwin build exists; use --format filters")
    corpus = load_corpus(args)
    t1 = time.time()
    gen = Generator(corpus, args.profile, args.seed)
    nl = "\r\n" if args.crlf else "\n"
    if args.encoding == "utf-16":
        enc, bom, decl = "utf-16-le", "\ufeff", "UTF-16"
    else:
        enc, bom, decl = "utf-8", "\ufeff", "UTF-8"
    out_path = args.output
    fh = open(out_path, "w", encoding=enc, newline=nl, buffering=1 << 20) if out_path != "-" else \
        open(sys.stdout.fileno(), "w", encoding=enc, newline=nl, buffering=1 << 20, closefd=False)
    with fh:
        fh.write(bom + XML_DECL % decl)
        writer = write_state_dump if args.format == "state" else write_filters_dump
        items = writer(fh.write, corpus, gen, args.filters, args.include_unknown)
    t2 = time.time()
    pools = collections.Counter(s.pool for s, _ in items)
    print("gen_netsh_dump: %d filters (%s) format=%s profile=%s seed=%d -> %s; "
          "%d shapes from %s; load %.1fs, generate+write %.1fs"
          % (len(items), ", ".join("%s=%d" % kv for kv in sorted(pools.items())), args.format,
             args.profile, args.seed, out_path, len(corpus.shapes), ",".join(corpus.sources),
             t1 - t0, t2 - t1), file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------
# --check
# ---------------------------------------------------------------------------


def check(path: str, stats: bool, profile=None) -> int:
    t0 = time.time()
    root = parse_dump(path)
    elems = filter_elements(root)
    filters = list(wr.iter_filters(root))
    how = "given"
    if profile is None:
        profile, how = wr.detect_profile(root), "layer list"
    if profile is None:
        profile, how = dump_profile(root, filters), "best fit"
    ok, bad, unknown = wr.check_filters(filters, profile)
    ids = collections.Counter(f["filter_id"] for f in filters)
    keys = collections.Counter(e.findtext("filterKey") for e in elems)
    dup_ids = sum(1 for v in ids.values() if v > 1)
    dup_keys = sum(1 for v in keys.values() if v > 1)
    problems = []
    ws = root.find("wfpstate")
    if ws is not None:
        subl = {i.findtext("subLayerKey") for i in ws.find("subLayers").findall("item")}
        provs = {i.findtext("providerKey") for i in ws.find("providers").findall("item")}
        pcs = {i.findtext("providerContextKey") for i in ws.find("providerContexts").findall("item")}
        for li in ws.find("layers").findall("item"):
            lk = li.find("layer").findtext("layerKey")
            cks = {c.findtext("calloutKey") for c in li.find("callouts").findall("item")}
            for e in li.find("filters").findall("item"):
                if e.findtext("layerKey") != lk:
                    problems.append("filter %s listed under layer %s" % (e.findtext("filterId"), lk))
                if e.findtext("subLayerKey") not in subl:
                    problems.append("filter %s: unknown sublayer %s" % (e.findtext("filterId"), e.findtext("subLayerKey")))
                pk = e.findtext("providerKey")
                if pk and pk not in provs:
                    problems.append("filter %s: unknown provider %s" % (e.findtext("filterId"), pk))
                pc = e.findtext("providerContextKey")
                if pc and pc not in pcs:
                    problems.append("filter %s: unknown provider context %s" % (e.findtext("filterId"), pc))
                a = e.find("action")
                if "CALLOUT" in a.findtext("type") and a.findtext("filterType") not in cks:
                    problems.append("filter %s: callout %s not in layer %s" % (e.findtext("filterId"), a.findtext("filterType"), lk))
    else:
        provs = {i.findtext("providerKey") for top in root for p in top.findall("providers")
                 for i in p.findall("item")}
        for e in elems:
            pk = e.findtext("providerKey")
            if pk and pk not in provs:
                problems.append("filter %s: unknown provider %s" % (e.findtext("filterId"), pk))
    print("%s: profile=%s (%s) filters=%d matches=%d mismatches=%d unknown-slot=%d "
          "unique-ids=%d dup-ids=%d unique-keys=%d dup-keys=%d reference-problems=%d (%.1fs)"
          % (os.path.basename(path), profile, how, len(filters), ok, len(bad), len(unknown),
             len(ids), dup_ids, len(keys), dup_keys, len(problems), time.time() - t0))
    for f, got in bad[:5]:
        print("   MISMATCH id=%d expected=%#x model=%#x" % (f["filter_id"], f["effective_weight"], got))
    for f, why in unknown[:5]:
        print("   UNKNOWN id=%d %s" % (f["filter_id"], why))
    for p in problems[:5]:
        print("   " + p)
    if stats:
        print_stats(filters, elems)
    good = not bad and not unknown and not dup_ids and not dup_keys and not problems \
        and len(keys) == len(elems)
    return 0 if good else 1


def print_stats(filters, elems):
    n = len(filters) or 1
    def table(title, counter, top=12):
        print("  %s:" % title)
        for k, v in counter.most_common(top):
            print("    %6d %5.1f%%  %s" % (v, 100.0 * v / n, k))
        if len(counter) > top:
            print("    ... %d more" % (len(counter) - top))
    table("layers", collections.Counter(f["layer"].removeprefix("FWPM_LAYER_") for f in filters))
    table("sublayers", collections.Counter(e.findtext("subLayerKey") for e in elems), 6)
    table("actions", collections.Counter(e.find("action").findtext("type") for e in elems))
    table("weight types", collections.Counter(f["weight"]["type"] for f in filters))
    cc = collections.Counter("%s %s %s" % (c["field"].removeprefix("FWPM_CONDITION_"),
                                           c["match"].removeprefix("FWP_MATCH_"), c["type"])
                             for f in filters for c in f["conditions"])
    print("  conditions: %d in total, %.2f per filter" % (sum(cc.values()), sum(cc.values()) / n))
    table("condition (field match type), % = per 100 filters", cc, 15)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--filters", type=int, default=10000, help="number of filters (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=("filters", "state"), default="filters")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    ap.add_argument("--encoding", choices=("utf-8", "utf-16"), default="utf-8")
    ap.add_argument("--crlf", action="store_true", help="CRLF line ends")
    ap.add_argument("--profile", choices=sorted(wr.PROFILES), default=wr.DEFAULT_PROFILE,
                    help="Windows build whose dumps are sampled (default %(default)s)")
    ap.add_argument("--include-unknown", action="store_true",
                    help="keep layers known only by GUID")
    ap.add_argument("--dumps", default=DEFAULT_DUMPS, help="directory of real dumps")
    ap.add_argument("--no-cache", action="store_true",
                    help="do not read or write the shape cache (default: %s)" % cache_dir())
    ap.add_argument("--check", metavar="FILE", nargs="+", help="verify generated dumps")
    ap.add_argument("--stats", action="store_true", help="with --check: print distributions")
    args = ap.parse_args(argv)
    if args.check:
        rc = 0
        for p in args.check:
            rc |= check(p, args.stats)
        return rc
    if args.filters < 0:
        ap.error("--filters must be >= 0")
    return generate(args)


if __name__ == "__main__":
    sys.exit(main())
