// SPDX-License-Identifier: Apache-2.0
// BucketTable: an open-addressing hash map from a 64-bit key hash to a small index (a bucket
// number), for the tuples of the indexed matcher. Linear probing, at most half full, deletion
// by backward shift (no tombstones, so lookups stay short however many updates ran).
//
// Keys are hashes, not keys: two different masked keys with one hash share a bucket. That is
// safe because the matcher checks every candidate it takes from a bucket.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace openfwp::classify::internal {

class BucketTable {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffU;

  /// The bucket stored under `hash`, or kNone.
  std::uint32_t find(std::uint64_t hash) const {
    if (slots_.empty()) return kNone;
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.bucket == kNone) return kNone;
      if (slot.hash == hash) return slot.bucket;
    }
  }

  /// Asks the CPU to fetch the slot where a find(hash) starts.
  void prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
  }

  /// Stores `bucket` under `hash`, which must not be present.
  void insert(std::uint64_t hash, std::uint32_t bucket) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    place(hash, bucket);
    ++used_;
  }

  /// Removes `hash`; false if it was not present.
  bool erase(std::uint64_t hash) {
    if (slots_.empty()) return false;
    std::size_t hole = hash & mask_;
    while (slots_[hole].hash != hash || slots_[hole].bucket == kNone) {
      if (slots_[hole].bucket == kNone) return false;
      hole = (hole + 1) & mask_;
    }
    // Backward shift: move later members of the probe run into the hole when their home
    // position is not between the hole and their slot.
    for (std::size_t next = (hole + 1) & mask_; slots_[next].bucket != kNone;
         next = (next + 1) & mask_) {
      const std::size_t home = slots_[next].hash & mask_;
      const bool stays =
          hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
      if (stays) continue;
      slots_[hole] = slots_[next];
      hole = next;
    }
    slots_[hole] = Slot{};
    --used_;
    return true;
  }

  std::size_t size() const { return used_; }
  std::size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t bucket = kNone;
  };

  void place(std::uint64_t hash, std::uint32_t bucket) {
    std::size_t i = hash & mask_;
    while (slots_[i].bucket != kNone) i = (i + 1) & mask_;
    slots_[i] = Slot{hash, bucket};
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 8 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.bucket != kNone) place(slot.hash, slot.bucket);
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t used_ = 0;
};

}  // namespace openfwp::classify::internal
