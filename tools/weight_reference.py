# SPDX-License-Identifier: Apache-2.0
"""Reference model of how Windows (BFE) computes a filter's effectiveWeight.

This is the executable companion of docs/decisions/0002-automatic-filter-weight.md.
It was reverse-engineered from real `netsh wfp show filters` / `show state` dumps
(shared/data/netsh-dumps); nothing here is copied from Microsoft code.

Summary of the model
--------------------
* FWP_UINT64 weight  -> effectiveWeight = weight (as is).
* FWP_EMPTY weight   -> effectiveWeight = auto(conditions)            (top 4 bits 0).
* FWP_UINT8 weight k -> effectiveWeight = (k << 60) | auto(conditions).

auto() is a 60-bit number made of *slots* (bit fields).  Each layer has its own
slot table (priority order, position and width); several condition fields can
share one slot (e.g. local + remote address, APP_ID / PACKAGE_ID /
PACKAGE_FAMILY_NAME).  For every slot:

    spec_f  = specificity (in bits) of the conditions on field f of the slot
              (EQUAL -> full width of the field, mask -> prefix length,
               range -> width_bits - log2(high - low + 1), 1-bit fields -> 1;
               several OR'ed conditions on one field are summed and capped at
               the field width; 3 or more OR'ed conditions count as full width)
    x       = (sum_f spec_f) / C * (2**k - 1)     C = slot capacity (sum of the
                                                  widths of all member fields
                                                  the layer has), k = slot width
    value   = floor(x + 0.5), but at least 1 when x > 0, at most 2**k - 1
    auto   += value << lo

Layers without any condition field (the *_FAST layers) give every filter the
auto weight 0x7ffffffffffffff.

The slot tables are empirical: only slots that occur in the dumps are known.
A condition on a field that has no known slot raises UnknownSlot.  Three table
"profiles" exist because Windows builds differ (see the decision record):

    win11  - builds whose layers carry RESERVED0..3 and ALE_PACKAGE_FAMILY_NAME
    win10  - older builds without them
    vpnwin - the build of vpnwindows_filters.xml (slightly different again)

Usage:
    python3 tools/weight_reference.py --check DUMP.xml [DUMP.xml ...]
        [--profile win11|win10|vpnwin] [--show N]
    python3 tools/weight_reference.py --vectors tests/data/weights/vectors.jsonl
"""

from __future__ import annotations

import argparse
import collections
import ipaddress
import json
import math
import os
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass

AUTO_BITS = 60
AUTO_MAX = (1 << AUTO_BITS) - 1
NO_FIELD_LAYER_WEIGHT = 0x7FFFFFFFFFFFFFF  # 2**59 - 1, layers with zero fields

# Layers that have no condition fields at all (FWPM_LAYER0.numFields == 0).
NO_FIELD_LAYERS = {
    "FWPM_LAYER_INBOUND_TRANSPORT_FAST",
    "FWPM_LAYER_OUTBOUND_TRANSPORT_FAST",
    "FWPM_LAYER_INBOUND_MAC_FRAME_NATIVE_FAST",
    "FWPM_LAYER_OUTBOUND_MAC_FRAME_NATIVE_FAST",
}

# ---------------------------------------------------------------------------
# Slot membership: which condition fields feed which slot.  A field that is not
# listed here forms a slot of its own (slot name == field name without the
# FWPM_CONDITION_ prefix).
# ---------------------------------------------------------------------------
SLOT_MEMBERS = {
    "ADDR": ("IP_LOCAL_ADDRESS", "IP_REMOTE_ADDRESS"),
    "LPORT": ("IP_LOCAL_PORT", "ORIGINAL_ICMP_TYPE"),  # ICMP_TYPE == IP_LOCAL_PORT key
    "RPORT": ("IP_REMOTE_PORT",),  # ICMP_CODE == IP_REMOTE_PORT key
    "PROTO": ("IP_PROTOCOL",),
    "APPID": ("ALE_APP_ID", "ALE_PACKAGE_ID", "ALE_PACKAGE_FAMILY_NAME", "ALE_ORIGINAL_APP_ID"),
    "IFACE": ("IP_LOCAL_INTERFACE", "IP_ARRIVAL_INTERFACE", "IP_NEXTHOP_INTERFACE"),
    "IFTYPE": ("INTERFACE_TYPE", "ARRIVAL_INTERFACE_TYPE", "NEXTHOP_INTERFACE_TYPE"),
    "TUNNEL": ("TUNNEL_TYPE", "ARRIVAL_TUNNEL_TYPE", "NEXTHOP_TUNNEL_TYPE"),
}
FIELD_TO_SLOT = {f: s for s, fs in SLOT_MEMBERS.items() for f in fs}


def slot_name(field: str) -> str:
    field = field.removeprefix("FWPM_CONDITION_")
    return FIELD_TO_SLOT.get(field, field)


def is_v6_layer(layer: str) -> bool:
    return layer.endswith("_V6") or "_V6_" in layer


def field_width(field: str, layer: str) -> int:
    """Specificity (in bits) of an exact match on `field`."""
    field = field.removeprefix("FWPM_CONDITION_")
    if field in ("IP_LOCAL_ADDRESS", "IP_REMOTE_ADDRESS"):
        return 128 if is_v6_layer(layer) else 32
    if field in ("IP_LOCAL_PORT", "IP_REMOTE_PORT", "ORIGINAL_ICMP_TYPE"):
        return 16
    if field == "IP_PROTOCOL":
        return 8
    return 1  # blobs, SIDs, security descriptors, flags, ids, enums


@dataclass(frozen=True)
class Slot:
    name: str
    lo: int  # lowest bit of the slot inside the 60 automatic bits
    k: int  # width in bits
    cap: int = 1  # C: capacity (sum of member field widths present in the layer)
    exact: bool = True  # False: only the top bit position is pinned by the data


def S(name, lo, k, cap=1, exact=True):
    return Slot(name, lo, k, cap, exact)


# ---------------------------------------------------------------------------
# Slot tables.  Key: layer name without FWPM_LAYER_.  Lists are written from the
# most significant slot down.  `exact=False` marks slots whose width is not
# determined by the dumps (only EQUAL seen, or several widths fit); the chosen
# width reproduces every observed value.
# ---------------------------------------------------------------------------
_COMMON = {
    "INBOUND_ICMP_ERROR_V4": [S("ARRIVAL_INTERFACE_PROFILE_ID", 2, 1)],
    "INBOUND_ICMP_ERROR_V6": [
        S("IFACE", 46, 1),
        S("LPORT", 31, 3, 16, exact=False),
        S("ARRIVAL_INTERFACE_PROFILE_ID", 2, 1),
    ],
    "OUTBOUND_ICMP_ERROR_V4": [
        S("LPORT", 32, 7, 16),
        S("RPORT", 25, 7, 16),
        S("FLAGS", 3, 1),
        S("NEXTHOP_INTERFACE_PROFILE_ID", 2, 1),
    ],
    "OUTBOUND_ICMP_ERROR_V6": [
        S("LPORT", 29, 6, 16),
        S("RPORT", 23, 6, 16),
        S("FLAGS", 3, 1),
        S("NEXTHOP_INTERFACE_PROFILE_ID", 2, 1),
    ],
    "IPFORWARD_V4": [S("FLAGS", 2, 1)],
    "IPFORWARD_V6": [S("FLAGS", 2, 1)],
    "INBOUND_TRANSPORT_V4_DISCARD": [S("FLAGS", 26, 1)],
    "INBOUND_TRANSPORT_V6_DISCARD": [S("FLAGS", 24, 1)],
    "ALE_AUTH_LISTEN_V4": [
        S("IFACE", 31, 1),
        S("LPORT", 8, 22, 16),
        S("APPID", 7, 1),
        S("ALE_USER_ID", 6, 1),
        S("FLAGS", 5, 1),
        S("ALE_SIO_FIREWALL_SYSTEM_PORT", 1, 1),
    ],
    "ALE_AUTH_LISTEN_V6": [
        S("IFACE", 27, 1),
        S("LPORT", 8, 18, 16),
        S("APPID", 7, 1),
        S("ALE_USER_ID", 6, 1),
        S("FLAGS", 5, 1),
        S("ALE_SIO_FIREWALL_SYSTEM_PORT", 1, 1),
    ],
}

PROFILES: dict[str, dict[str, list[Slot]]] = {
    "win11": {
        **_COMMON,
        "ALE_AUTH_CONNECT_V4": [
            S("ADDR", 52, 7, 64, exact=False),
            S("IFACE", 51, 1),
            S("PROTO", 47, 3, 8),
            S("LPORT", 42, 5, 32, exact=False),
            S("RPORT", 39, 3, 16),
            S("APPID", 38, 1),
            S("ALE_USER_ID", 37, 1),
            S("FLAGS", 36, 1),
            S("IFTYPE", 32, 1),
            S("TUNNEL", 31, 1),
            S("ORIGINAL_PROFILE_ID", 8, 3),
            S("CURRENT_PROFILE_ID", 4, 4),
        ],
        "ALE_AUTH_CONNECT_V6": [
            S("ADDR", 49, 10, 256),
            S("IFACE", 48, 1),
            S("PROTO", 45, 2, 8),
            S("LPORT", 40, 5, 32, exact=False),
            S("RPORT", 37, 3, 16),
            S("APPID", 36, 1),
            S("ALE_USER_ID", 35, 1),
            S("FLAGS", 34, 1),
            S("IFTYPE", 30, 1),
            S("TUNNEL", 29, 1),
            S("ORIGINAL_PROFILE_ID", 7, 4),
            S("CURRENT_PROFILE_ID", 4, 3),
        ],
        "ALE_AUTH_RECV_ACCEPT_V4": [
            S("ADDR", 53, 7, 64, exact=False),
            S("IFACE", 52, 1),
            S("PROTO", 49, 2, 8),
            S("LPORT", 43, 6, 32),
            S("RPORT", 40, 3, 16),
            S("APPID", 39, 1),
            S("ALE_USER_ID", 38, 1),
            S("FLAGS", 35, 1),
            S("ALE_SIO_FIREWALL_SYSTEM_PORT", 34, 1),
            S("IFTYPE", 30, 1),
            S("TUNNEL", 29, 1),
            S("ORIGINAL_PROFILE_ID", 8, 3),
            S("CURRENT_PROFILE_ID", 4, 4),
            S("INTERFACE_QUARANTINE_EPOCH", 2, 1),
        ],
        "ALE_AUTH_RECV_ACCEPT_V6": [
            S("ADDR", 51, 9, 256, exact=False),
            S("IFACE", 50, 1),
            S("PROTO", 47, 2, 8),
            S("LPORT", 41, 6, 32),
            S("RPORT", 39, 2, 16),
            S("APPID", 38, 1),
            S("ALE_USER_ID", 37, 1),
            S("FLAGS", 34, 1),
            S("ALE_SIO_FIREWALL_SYSTEM_PORT", 33, 1),
            S("IFTYPE", 28, 1),
            S("TUNNEL", 27, 1),
            S("ORIGINAL_PROFILE_ID", 7, 4),
            S("CURRENT_PROFILE_ID", 4, 3),
            S("INTERFACE_QUARANTINE_EPOCH", 2, 1),
        ],
        "ALE_FLOW_ESTABLISHED_V4": [
            S("ADDR", 53, 7, 64, exact=False),
            S("PROTO", 34, 6, 8),
            S("APPID", 18, 1),
            S("DIRECTION", 6, 9),
            S("IFTYPE", 4, 1),
            S("FLAGS", 2, 1),
        ],
        "ALE_FLOW_ESTABLISHED_V6": [
            S("ADDR", 51, 9, 256, exact=False),
            S("PROTO", 31, 5, 8),
            S("APPID", 17, 1),
            S("DIRECTION", 6, 8),
            S("IFTYPE", 4, 1),
            S("FLAGS", 2, 1),
        ],
        "ALE_RESOURCE_ASSIGNMENT_V4": [
            S("LPORT", 48, 12, 16),
            S("IFACE", 47, 1),
            S("PROTO", 38, 8, 8),
            S("APPID", 37, 1),
            S("ALE_USER_ID", 36, 1),
            S("FLAGS", 20, 1),
            S("ALE_SIO_FIREWALL_SYSTEM_PORT", 2, 1),
        ],
        "ALE_RESOURCE_ASSIGNMENT_V6": [
            S("LPORT", 50, 10, 16),
            S("IFACE", 49, 1),
            S("PROTO", 40, 8, 8),
            S("APPID", 39, 1),
            S("ALE_USER_ID", 38, 1),
            S("FLAGS", 24, 1),
            S("ALE_SIO_FIREWALL_SYSTEM_PORT", 2, 1),
        ],
        "ALE_CONNECT_REDIRECT_V4": [S("PROTO", 26, 7, 8)],
        "ALE_CONNECT_REDIRECT_V6": [S("PROTO", 22, 7, 8)],
        "ALE_ENDPOINT_CLOSURE_V4": [S("PROTO", 30, 7, 8)],
        "ALE_ENDPOINT_CLOSURE_V6": [S("PROTO", 34, 7, 8)],
    },
}

PROFILES["win10"] = {
    **_COMMON,
    "ALE_AUTH_CONNECT_V4": [
        S("ADDR", 52, 7, 64, exact=False),
        S("PROTO", 47, 3, 8),
        S("LPORT", 42, 5, 32, exact=False),
        S("RPORT", 38, 3, 16),
        S("APPID", 37, 1),
        S("ALE_USER_ID", 36, 1),
        S("FLAGS", 35, 1),
        S("TUNNEL", 30, 1),
        # ORIGINAL+CURRENT only seen together: bits 3..10 in total.
        S("ORIGINAL_PROFILE_ID", 7, 4, exact=False),
        S("CURRENT_PROFILE_ID", 3, 4, exact=False),
    ],
    "ALE_AUTH_CONNECT_V6": [
        S("ADDR", 49, 10, 256, exact=False),
        S("PROTO", 45, 2, 8),
        S("LPORT", 40, 5, 32, exact=False),
        S("RPORT", 37, 2, 16),
        S("APPID", 36, 1),
        S("ALE_USER_ID", 35, 1),
        S("FLAGS", 34, 1),
        S("TUNNEL", 29, 1),
        # ORIGINAL+CURRENT only seen together: bits 3..9 in total.
        S("ORIGINAL_PROFILE_ID", 6, 4, exact=False),
        S("CURRENT_PROFILE_ID", 3, 3, exact=False),
    ],
    "ALE_AUTH_RECV_ACCEPT_V4": [
        S("ADDR", 53, 7, 64, exact=False),
        S("IFACE", 52, 1),
        S("PROTO", 49, 2, 8),
        S("LPORT", 43, 6, 32),
        S("RPORT", 40, 3, 16),
        S("APPID", 39, 1),
        S("ALE_USER_ID", 38, 1),
        S("FLAGS", 35, 1),
        S("ALE_SIO_FIREWALL_SYSTEM_PORT", 34, 1),
        S("IFTYPE", 29, 1),
        S("TUNNEL", 28, 1),
        S("ORIGINAL_PROFILE_ID", 7, 3),
        S("CURRENT_PROFILE_ID", 3, 4),
        S("INTERFACE_QUARANTINE_EPOCH", 1, 1),
    ],
    "ALE_AUTH_RECV_ACCEPT_V6": [
        S("ADDR", 51, 9, 256, exact=False),
        S("IFACE", 49, 1),
        S("PROTO", 46, 2, 8),
        S("LPORT", 41, 5, 32),
        S("RPORT", 38, 3, 16),
        S("APPID", 37, 1),
        S("ALE_USER_ID", 36, 1),
        S("FLAGS", 33, 1),
        S("ALE_SIO_FIREWALL_SYSTEM_PORT", 32, 1),
        S("IFTYPE", 28, 1),
        S("TUNNEL", 27, 1),
        S("ORIGINAL_PROFILE_ID", 6, 4),
        S("CURRENT_PROFILE_ID", 3, 3),
        S("INTERFACE_QUARANTINE_EPOCH", 1, 1),
    ],
    "ALE_FLOW_ESTABLISHED_V4": [S("PROTO", 34, 5, 8), S("DIRECTION", 5, 9), S("FLAGS", 1, 1)],
    "ALE_FLOW_ESTABLISHED_V6": [S("PROTO", 30, 5, 8), S("DIRECTION", 5, 8), S("FLAGS", 1, 1)],
    "ALE_RESOURCE_ASSIGNMENT_V4": [
        S("LPORT", 48, 12, 16),
        S("IFACE", 47, 1),
        S("PROTO", 37, 9, 8),
        S("APPID", 36, 1),
        S("ALE_USER_ID", 35, 1),
        S("FLAGS", 20, 1),
        S("ALE_SIO_FIREWALL_SYSTEM_PORT", 1, 1),
    ],
    "ALE_RESOURCE_ASSIGNMENT_V6": [
        S("LPORT", 49, 11, 16),
        S("IFACE", 48, 1),
        S("PROTO", 40, 7, 8),
        S("APPID", 39, 1),
        S("ALE_USER_ID", 38, 1),
        S("FLAGS", 23, 1),
        S("ALE_SIO_FIREWALL_SYSTEM_PORT", 1, 1),
    ],
}

PROFILES["vpnwin"] = {
    **_COMMON,
    "ALE_AUTH_CONNECT_V4": [
        S("ADDR", 51, 7, 64),
        S("PROTO", 47, 2, 8),
        S("LPORT", 42, 5, 32, exact=False),
        S("RPORT", 39, 3, 16),
        S("APPID", 38, 1),
        S("ALE_USER_ID", 37, 1),
        S("FLAGS", 36, 1),
        S("TUNNEL", 31, 1),
        # ORIGINAL+CURRENT only seen together: bits 6..12 in total.
        S("ORIGINAL_PROFILE_ID", 10, 3, exact=False),
        S("CURRENT_PROFILE_ID", 6, 4, exact=False),
    ],
    "ALE_AUTH_CONNECT_V6": [
        S("ADDR", 49, 9, 256),
        S("PROTO", 45, 2, 8),
        S("LPORT", 40, 5, 32, exact=False),
        S("RPORT", 37, 3, 16),
        S("APPID", 36, 1),
        S("ALE_USER_ID", 35, 1),
        S("FLAGS", 34, 1),
        S("TUNNEL", 29, 1),
        # ORIGINAL+CURRENT only seen together: bits 6..11 in total.
        S("ORIGINAL_PROFILE_ID", 9, 3, exact=False),
        S("CURRENT_PROFILE_ID", 6, 3, exact=False),
    ],
    "ALE_RESOURCE_ASSIGNMENT_V4": [
        S("LPORT", 49, 11, 16),
        S("PROTO", 38, 9, 8),
        S("APPID", 37, 1),
        S("ALE_USER_ID", 36, 1),
        S("FLAGS", 21, 1),
        S("ALE_SIO_FIREWALL_SYSTEM_PORT", 3, 1),
    ],
    "ALE_RESOURCE_ASSIGNMENT_V6": [
        S("LPORT", 50, 10, 16),
        S("PROTO", 40, 8, 8),
        S("APPID", 39, 1),
        S("ALE_USER_ID", 38, 1),
        S("FLAGS", 25, 1),
        S("ALE_SIO_FIREWALL_SYSTEM_PORT", 3, 1),
    ],
}

DEFAULT_PROFILE = "win11"


class UnknownSlot(KeyError):
    """A condition field has no known slot in the chosen profile/layer."""


# ---------------------------------------------------------------------------
# Condition values -> specificity
# ---------------------------------------------------------------------------
def _to_int(v) -> int:
    """Numbers, dotted IPv4 strings and IPv6 strings -> int."""
    if isinstance(v, int):
        return v
    s = str(v).strip()
    if re.fullmatch(r"\d+", s):
        return int(s)
    if ":" in s:
        return int(ipaddress.IPv6Address(s))
    return int(ipaddress.IPv4Address(s))


def _prefix_len(value: str) -> int:
    """'a.b.c.d/len', 'a.b.c.d/255.0.0.0' or 'v6::/len' -> prefix length."""
    _addr, _, tail = str(value).partition("/")
    if "." in tail:
        return bin(int(ipaddress.IPv4Address(tail))).count("1")
    return int(tail)


def condition_spec(cond: dict, layer: str) -> float:
    """Specificity, in bits, of one condition.

    cond = {"field": "FWPM_CONDITION_...", "match": "FWP_MATCH_...",
            "type": "FWP_...", "value": ...}
    """
    width = field_width(cond["field"], layer)
    if width == 1:
        # Fields without a numeric order (blobs, SIDs, SDs, flags, enums):
        # any condition is a full match of its 1-bit field.
        return 1.0
    ctype = cond["type"]
    if ctype == "FWP_RANGE_TYPE":
        low, high = cond["value"]
        span = _to_int(high) - _to_int(low) + 1
        if span <= 1:
            return float(width)
        return max(0.0, width - math.log2(span))
    if ctype in ("FWP_V4_ADDR_MASK", "FWP_V6_ADDR_MASK"):
        return float(min(width, _prefix_len(cond["value"])))
    # EQUAL on a scalar / address (NOT_EQUAL is only seen on 1-bit fields).
    return float(width)


def slot_value(spec_sum: float, slot: Slot) -> int:
    """Quantise the summed specificity of a slot into its k bits."""
    if spec_sum <= 0:
        return 0
    top = (1 << slot.k) - 1
    x = spec_sum / slot.cap * top
    v = math.floor(x + 0.5)  # round half up
    if v == 0:
        v = 1  # any non-trivial condition counts for at least one unit
    return min(v, top)


def auto_weight(layer: str, conditions: list[dict], profile: str = DEFAULT_PROFILE) -> int:
    """The 60 automatically generated low bits."""
    layer = layer if layer.startswith("FWPM_LAYER_") else "FWPM_LAYER_" + layer
    if layer in NO_FIELD_LAYERS:
        return NO_FIELD_LAYER_WEIGHT
    if not conditions:
        return 0
    short = layer.removeprefix("FWPM_LAYER_")
    table = {s.name: s for s in PROFILES[profile].get(short, [])}

    # 1. per field: sum the specificity of its (OR'ed) conditions.
    per_field: dict[str, list[float]] = collections.defaultdict(list)
    for c in conditions:
        per_field[c["field"].removeprefix("FWPM_CONDITION_")].append(condition_spec(c, layer))
    # 2. per slot: sum the (capped) field specificities.
    per_slot: dict[str, float] = collections.defaultdict(float)
    for field, specs in per_field.items():
        width = field_width(field, layer)
        total = float(width) if len(specs) >= 3 else min(float(width), sum(specs))
        per_slot[slot_name(field)] += total
    # 3. quantise and place.
    weight = 0
    for name, spec_sum in per_slot.items():
        slot = table.get(name)
        if slot is None:
            raise UnknownSlot(f"{profile}/{short}: no known slot for {name}")
        weight += slot_value(spec_sum, slot) << slot.lo
    return weight & AUTO_MAX


def effective_weight(layer_name: str, weight_type: str, weight_value, conditions: list[dict],
                     profile: str = DEFAULT_PROFILE) -> int:
    """effectiveWeight of a filter, as BFE reports it."""
    if weight_type == "FWP_UINT64":
        return int(weight_value)
    auto = auto_weight(layer_name, conditions, profile)
    if weight_type == "FWP_EMPTY":
        return auto
    if weight_type == "FWP_UINT8":
        if not 0 <= int(weight_value) <= 15:
            raise ValueError("FWP_UINT8 weight must be in [0, 15]")
        return (int(weight_value) << AUTO_BITS) | auto
    raise ValueError(f"unsupported weight type {weight_type}")


# ---------------------------------------------------------------------------
# netsh XML parsing
# ---------------------------------------------------------------------------
def load_dump(path: str) -> ET.Element:
    """Parse a dump; wraps the content in a root (wfpstate files have two roots)."""
    with open(path, encoding="utf-8-sig") as fh:
        text = fh.read()
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    return ET.fromstring("<root>" + text + "</root>")


def _xml_value(node: ET.Element):
    """FWP_VALUE / FWP_CONDITION_VALUE element -> (type, JSON-friendly value)."""
    ctype = node.findtext("type")
    if ctype == "FWP_EMPTY":
        return ctype, None
    if ctype in ("FWP_UINT8", "FWP_UINT16", "FWP_UINT32", "FWP_UINT64",
                 "FWP_INT8", "FWP_INT16", "FWP_INT32", "FWP_INT64"):
        text = node.findtext(ctype[4:].lower())
        return ctype, int(text) if re.fullmatch(r"-?\d+", text) else text
    if ctype == "FWP_V4_ADDR_MASK":
        m = node.find("v4AddrMask")
        return ctype, "%s/%d" % (m.findtext("addr"), _prefix_len("x/" + m.findtext("mask")))
    if ctype == "FWP_V6_ADDR_MASK":
        m = node.find("v6AddrMask")
        return ctype, "%s/%s" % (m.findtext("addr"), m.findtext("prefixLength"))
    if ctype == "FWP_RANGE_TYPE":
        r = node.find("rangeValue")
        return ctype, [_xml_value(r.find("valueLow"))[1], _xml_value(r.find("valueHigh"))[1]]
    if ctype == "FWP_BYTE_BLOB_TYPE":
        return ctype, node.find("byteBlob").findtext("data")
    if ctype == "FWP_SECURITY_DESCRIPTOR_TYPE":
        return ctype, node.findtext("sd")
    if ctype == "FWP_SID":
        return ctype, node.findtext("sid")
    if ctype == "FWP_BYTE_ARRAY16_TYPE":
        return ctype, node.findtext("byteArray16")
    if ctype == "FWP_BYTE_ARRAY6_TYPE":
        return ctype, node.findtext("byteArray6")
    return ctype, "".join(node.itertext()).strip()


def iter_filters(root: ET.Element):
    """Yield one dict per filter <item> (works for show filters and show state)."""
    for item in root.iter("item"):
        if item.find("filterId") is None or item.find("effectiveWeight") is None:
            continue
        wtype, wvalue = _xml_value(item.find("weight"))
        conds = []
        fc = item.find("filterCondition")
        for c in (fc.findall("item") if fc is not None else []):
            ctype, cvalue = _xml_value(c.find("conditionValue"))
            conds.append({"field": c.findtext("fieldKey"), "match": c.findtext("matchType"),
                          "type": ctype, "value": cvalue})
        yield {
            "filter_id": int(item.findtext("filterId")),
            "layer": item.findtext("layerKey"),
            "weight": {"type": wtype, "value": wvalue},
            "conditions": conds,
            "effective_weight": int(item.find("effectiveWeight").findtext("uint64")),
        }


def detect_profile(root: ET.Element) -> str | None:
    """show-state dumps list every layer's fields: RESERVED0 marks win11 builds."""
    for layer in root.iter("layer"):
        if layer.findtext("layerKey") == "FWPM_LAYER_ALE_AUTH_CONNECT_V4":
            fields = {f.findtext("fieldKey") for f in layer.find("field").findall("item")}
            return "win11" if "FWPM_CONDITION_RESERVED0" in fields else "win10"
    return None


def check_filters(filters, profile):
    ok, bad, unknown = 0, [], []
    for f in filters:
        try:
            got = effective_weight(f["layer"], f["weight"]["type"], f["weight"]["value"],
                                   f["conditions"], profile)
        except UnknownSlot as exc:
            unknown.append((f, str(exc)))
            continue
        if got == f["effective_weight"]:
            ok += 1
        else:
            bad.append((f, got))
    return ok, bad, unknown


def _describe(f):
    conds = ", ".join("%s %s %s" % (c["field"].removeprefix("FWPM_CONDITION_"),
                                    c["match"].removeprefix("FWP_MATCH_"),
                                    str(c["value"])[:40]) for c in f["conditions"])
    return "id=%d %s weight=%s:%s conds=[%s]" % (
        f["filter_id"], f["layer"].removeprefix("FWPM_LAYER_"), f["weight"]["type"],
        f["weight"]["value"], conds)


def check_vectors(path: str, show: int) -> int:
    """Verify tests/data/weights/vectors.jsonl (one filter per line)."""
    ok = bad = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            v = json.loads(line)
            got = effective_weight(v["layer"], v["weight"]["type"], v["weight"]["value"],
                                   v["conditions"], v.get("profile", DEFAULT_PROFILE))
            if got == int(v["effective_weight"], 16):
                ok += 1
            else:
                bad += 1
                if bad <= show:
                    print("MISMATCH %s:%d expected=%s got=%#x" % (
                        v["dump"], v["filter_id"], v["effective_weight"], got))
    print("%s: vectors=%d matches=%d mismatches=%d" % (os.path.basename(path), ok + bad, ok, bad))
    return 0 if bad == 0 else 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", nargs="+", metavar="DUMP", help="verify netsh XML dumps")
    mode.add_argument("--vectors", metavar="JSONL", help="verify a test-vector file")
    ap.add_argument("--profile", choices=sorted(PROFILES), default=None,
                    help="slot-table profile (default: from the dump's layer list, "
                         "else the best-matching profile)")
    ap.add_argument("--show", type=int, default=5, help="mismatches to print per dump")
    args = ap.parse_args(argv)
    if args.vectors:
        return check_vectors(args.vectors, args.show)

    all_ok = True
    grand = collections.Counter()
    for path in args.check:
        root = load_dump(path)
        filters = list(iter_filters(root))
        how = "given"
        profile = args.profile
        if profile is None:
            profile = detect_profile(root)
            how = "layer list"
        if profile is None:
            # show-filters dumps carry no build information: take the best profile.
            scores = {p: check_filters(filters, p)[0] for p in sorted(PROFILES)}
            profile = max(scores, key=lambda p: (scores[p], p == DEFAULT_PROFILE))
            how = "best fit"
        ok, bad, unknown = check_filters(filters, profile)
        n = len(filters)
        grand.update(checked=n, matched=ok, mismatched=len(bad), unknown=len(unknown))
        print("%s: profile=%s (%s) filters=%d matches=%d mismatches=%d unknown-slot=%d"
              % (os.path.basename(path), profile, how, n, ok, len(bad), len(unknown)))
        for f, got in bad[: args.show]:
            print("   MISMATCH %s\n      expected=%#x got=%#x diff=%#x" % (
                _describe(f), f["effective_weight"], got, f["effective_weight"] ^ got))
        for f, why in unknown[: args.show]:
            print("   UNKNOWN  %s\n      %s (expected=%#x)" % (_describe(f), why, f["effective_weight"]))
        all_ok &= not bad and not unknown
    print("TOTAL: filters=%(checked)d matches=%(matched)d mismatches=%(mismatched)d "
          "unknown-slot=%(unknown)d" % grand)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
