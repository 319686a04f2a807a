#![doc = include_str!("../docs/wire.md")]
