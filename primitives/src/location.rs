//! Device locations as H3 cells (<https://h3geo.org>), validated on input.
//!
//! An H3 cell index is a 64-bit integer:
//!
//! | bits | field | valid values for a cell |
//! |---|---|---|
//! | 63 | reserved | 0 |
//! | 59–62 | mode | 1 (cell) |
//! | 56–58 | mode-dependent | 0 |
//! | 52–55 | resolution | 0–15 |
//! | 45–51 | base cell | 0–121 |
//! | 0–44 | 15 digits of 3 bits | 0–6 up to the resolution, 7 after it |
//!
//! and a cell under one of the twelve pentagon base cells may not have 1 as its first non-zero
//! digit (that sub-sequence was deleted from the pentagon). These are the checks of H3's own
//! `isValidCell`.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Number of H3 base cells.
const BASE_CELLS: u64 = 122;
/// The base cells that are pentagons.
const PENTAGON_BASE_CELLS: [u64; 12] = [4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117];
/// Finest H3 resolution.
pub const MAX_RESOLUTION: u8 = 15;

/// A valid H3 cell index; build it with [`H3Cell::new`].
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct H3Cell(u64);

impl H3Cell {
	/// The cell `index`, if it is a valid H3 cell.
	pub fn new(index: u64) -> Option<Self> {
		is_valid_cell(index).then_some(Self(index))
	}

	/// The raw 64-bit index.
	pub fn index(&self) -> u64 {
		self.0
	}

	/// The cell's resolution, 0 (about 4.4 million km²) to 15 (about 1 m²).
	pub fn resolution(&self) -> u8 {
		((self.0 >> 52) & 0xf) as u8
	}
}

/// The `i`-th digit (1-based) of an index.
fn digit(index: u64, i: u8) -> u64 {
	(index >> ((MAX_RESOLUTION - i) as u64 * 3)) & 0b111
}

/// Whether `index` is a valid H3 cell index (see the module docs).
pub fn is_valid_cell(index: u64) -> bool {
	let reserved = index >> 63;
	let mode = (index >> 59) & 0xf;
	let mode_dependent = (index >> 56) & 0b111;
	let resolution = ((index >> 52) & 0xf) as u8;
	let base_cell = (index >> 45) & 0x7f;
	if reserved != 0 || mode != 1 || mode_dependent != 0 || base_cell >= BASE_CELLS {
		return false;
	}
	let mut first_non_zero = None;
	for i in 1..=MAX_RESOLUTION {
		let d = digit(index, i);
		if i <= resolution {
			if d == 7 {
				return false;
			}
			if d != 0 && first_non_zero.is_none() {
				first_non_zero = Some(d);
			}
		} else if d != 7 {
			return false;
		}
	}
	// Pentagons lack the sub-sequence starting with the K axis (digit 1).
	!(PENTAGON_BASE_CELLS.contains(&base_cell) && first_non_zero == Some(1))
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Builds an index from its fields, with the digits after the resolution set to 7.
	fn cell(resolution: u8, base_cell: u64, digits: &[u64]) -> u64 {
		let mut index = (1u64 << 59) | ((resolution as u64) << 52) | (base_cell << 45);
		for i in 1..=MAX_RESOLUTION {
			let d = if i <= resolution { digits[i as usize - 1] } else { 7 };
			index |= d << ((MAX_RESOLUTION - i) as u64 * 3);
		}
		index
	}

	#[test]
	fn known_cells_are_valid() {
		// From H3's documentation and test suite: San Francisco at resolutions 9 and 5, and
		// the first base cell at resolution 0.
		for index in [0x0892_8308_280f_ffff_u64, 0x0852_8347_3fff_ffff, 0x0800_1fff_ffff_ffff] {
			let cell = H3Cell::new(index).expect("valid cell");
			assert_eq!(cell.index(), index);
		}
		assert_eq!(H3Cell::new(0x0892_8308_280f_ffff).map(|c| c.resolution()), Some(9));
		assert_eq!(cell(0, 0, &[]), 0x0800_1fff_ffff_ffff);
	}

	#[test]
	fn every_field_is_checked() {
		let good = cell(2, 20, &[3, 5]);
		assert!(is_valid_cell(good));
		assert!(!is_valid_cell(0), "zero is not a cell");
		assert!(!is_valid_cell(good | 1 << 63), "reserved bit set");
		assert!(!is_valid_cell((good & !(0xf << 59)) | (2 << 59)), "mode 2 is a directed edge");
		assert!(!is_valid_cell(good | (1 << 56)), "mode-dependent bits set");
		assert!(!is_valid_cell(cell(2, 122, &[3, 5])), "base cell out of range");
		assert!(!is_valid_cell(cell(2, 20, &[7, 5])), "digit 7 within the resolution");
		assert!(!is_valid_cell(good & !0b111), "digit after the resolution is not 7");
		assert!(is_valid_cell(cell(15, 121, &[6; 15])), "finest resolution, last base cell");
	}

	#[test]
	fn pentagons_lack_the_k_axis_subsequence() {
		assert!(!is_valid_cell(cell(1, 4, &[1])));
		assert!(!is_valid_cell(cell(3, 117, &[0, 0, 1])));
		assert!(is_valid_cell(cell(1, 4, &[2])));
		assert!(is_valid_cell(cell(3, 117, &[0, 2, 1])), "only the first non-zero digit counts");
		assert!(is_valid_cell(cell(1, 5, &[1])), "base cell 5 is a hexagon");
	}
}
