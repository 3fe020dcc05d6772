// SPDX-License-Identifier: Apache-2.0
// The access check behind FWPM_CONDITION_ALE_USER_ID (and the remote user/machine fields):
// a condition holds a security descriptor; it matches when the classifying user's token is
// granted FWP_ACTRL_MATCH_FILTER by the descriptor's DACL.
//
// DEVIATION(WFP): openfwp has no Windows tokens. A token is the user's SID plus the groups every
// interactive user has: Everyone (S-1-1-0, "WD") and Authenticated Users (S-1-5-11, "AU"). The
// DACL is read from SDDL; ACEs are evaluated in order, the first ACE whose SID is in the token
// and whose mask includes the match right decides (deny before allow only as written, like
// Windows' ordered evaluation). No ACE -> not granted; no DACL ("D:" absent) or a NULL DACL
// ("D:NO_ACCESS_CONTROL") -> granted. Inherit-only ACEs ("IO") do not apply to the object they
// are on; object, conditional and audit ACEs are parsed and passed over.
#pragma once

#include <string_view>

namespace openfwp::classify {

/// True if `user_sid` is granted FWP_ACTRL_MATCH_FILTER by `sddl`. Malformed SDDL grants
/// nothing (policy validation reports it earlier).
bool sddl_grants_match(std::string_view sddl, std::string_view user_sid);

/// True if `sddl` parses (owner/group/DACL parts, ACE syntax, known SID aliases).
bool sddl_is_well_formed(std::string_view sddl);

}  // namespace openfwp::classify
