//! One declaration of a group of facts drives every walk over them: which are stated, how a
//! fuller account fills the gaps, and how they are written into a record.

/// A fact (or a group of facts) a record or evidence may hold.
pub(super) trait Fact {
    /// What the decision record holds it as.
    type Held;

    /// Adds `name` to `facts` when this states the fact (a group adds each of its own).
    fn stated(&self, name: &'static str, facts: &mut Vec<&'static str>);

    /// Takes `other` in where this says nothing; a list keeps both, `other`'s first.
    fn fill(&mut self, other: Self);

    /// Writes the fact into the record's field for it.
    fn write(&self, held: &mut Self::Held);
}

impl<T: Clone> Fact for Option<T> {
    type Held = Option<T>;

    fn stated(&self, name: &'static str, facts: &mut Vec<&'static str>) {
        if self.is_some() {
            facts.push(name);
        }
    }

    fn fill(&mut self, other: Self) {
        if self.is_none() {
            *self = other;
        }
    }

    fn write(&self, held: &mut Self::Held) {
        held.clone_from(self);
    }
}

/// A flag: stated when set, and set when either account sets it.
impl Fact for bool {
    type Held = bool;

    fn stated(&self, name: &'static str, facts: &mut Vec<&'static str>) {
        if *self {
            facts.push(name);
        }
    }

    fn fill(&mut self, other: Self) {
        *self |= other;
    }

    fn write(&self, held: &mut Self::Held) {
        *held = *self;
    }
}

/// A list of entries each made once (overrides, acknowledgements): both accounts' are kept,
/// the other's first.
impl<T: Clone> Fact for Vec<T> {
    type Held = Vec<T>;

    fn stated(&self, name: &'static str, facts: &mut Vec<&'static str>) {
        if !self.is_empty() {
            facts.push(name);
        }
    }

    fn fill(&mut self, mut other: Self) {
        other.append(self);
        *self = other;
    }

    fn write(&self, held: &mut Self::Held) {
        held.clone_from(self);
    }
}

/// Declares a struct of facts and makes it a [`Fact`] itself: its facts are named by
/// `names` followed by the field's name, and written into the field of the same name in
/// `into`, so a field the record does not have does not compile.
macro_rules! facts {
    (
        into $held:ty, named $names:literal;
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident: $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: $ty,
            )*
        }

        impl $crate::values::record::fact::Fact for $name {
            type Held = $held;

            fn stated(&self, _: &'static str, facts: &mut Vec<&'static str>) {
                $($crate::values::record::fact::Fact::stated(
                    &self.$field,
                    concat!($names, stringify!($field)),
                    facts,
                );)*
            }

            fn fill(&mut self, other: Self) {
                let Self { $($field),* } = other;
                $($crate::values::record::fact::Fact::fill(&mut self.$field, $field);)*
            }

            fn write(&self, held: &mut Self::Held) {
                $($crate::values::record::fact::Fact::write(&self.$field, &mut held.$field);)*
            }
        }
    };
}
pub(super) use facts;
