//! The warning of the ask and answer forms when a post seems to contain personal data
//! (`actions::personal_data`): what was found where, with the choices "Move it into a
//! private case", "Remove it" (the findings cut out of the text, for the author to
//! review) and "Post anyway". The text typed is kept.

use crate::actions::personal_data::{of_field, Flag};
use crate::domain::personal_data::{cut, Kind};
use crate::web::i18n::Tr;

/// One finding as the warning lists it.
pub struct FlagView {
    /// The field's label.
    pub field: String,
    /// What it seems to be.
    pub kind: String,
    pub text: String,
}

/// The warning over the form's submit buttons.
pub struct Notice {
    pub flags: Vec<FlagView>,
    /// Whether "Move it into a private case" is offered.
    pub can_move: bool,
}

/// The warning of `flags` found in the fields `(name, text)`; `can_move` offers the
/// private case.
pub fn notice(tr: &Tr, flags: &[Flag], fields: &[(&str, &str)], can_move: bool) -> Notice {
    Notice {
        flags: flags
            .iter()
            .map(|f| {
                let text = fields
                    .iter()
                    .find(|(n, _)| *n == f.field)
                    .map_or("", |(_, t)| t);
                FlagView {
                    field: tr.t(&format!("personal-data-field-{}", f.field)),
                    kind: match &f.finding.kind {
                        Kind::Pattern(name) => name.clone(),
                        k => tr.t(&format!("personal-data-kind-{}", k.code())),
                    },
                    text: f.finding.text(text).to_string(),
                }
            })
            .collect(),
        can_move,
    }
}

/// `text` of `field` with what `flags` found in it cut out ("Remove it").
pub fn removed(text: &str, field: &str, flags: &[Flag]) -> String {
    let out = cut(text, &of_field(flags, field));
    // Cutting leaves doubled spaces and empty brackets; tidy the spaces.
    let mut tidy = String::with_capacity(out.len());
    for c in out.chars() {
        if c == ' ' && tidy.ends_with(' ') {
            continue;
        }
        tidy.push(c);
    }
    tidy
}
