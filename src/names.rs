//! The names of the variants of the crate's fieldless enums, written as one table a name.

/// Gives a fieldless enum a method for each table of names (its stable `snake_case`
/// label, its words for a report...), returning the variant's name in that table; with
/// `shown by METHOD`, the enum is shown (`Display`) by that method's name.
macro_rules! names {
    (
        $enum:ident $(, shown by $shown:ident)?;
        $(
            $(#[$doc:meta])*
            $method:ident { $($variant:ident => $name:literal),+ $(,)? }
        )+
    ) => {
        impl $enum {
            $(
                $(#[$doc])*
                pub fn $method(self) -> &'static str {
                    match self {
                        $($enum::$variant => $name,)+
                    }
                }
            )+
        }

        $(
            impl std::fmt::Display for $enum {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.$shown())
                }
            }
        )?
    };
}
pub(crate) use names;
