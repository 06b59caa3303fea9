//! The demo accounts, loaded into an empty database in development: one account per role,
//! plus [`COURIERS_PER_SCALE`] couriers per unit of scale for demos and load tests, all
//! with the password [`DEMO_PASSWORD`].

use futures::StreamExt as _;
use mercato_core::Role;
use mercato_core::identity::{IdentityError, IdentityService, StaffAccount};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "mercato-demo-2026";

/// The demo accounts: email, name, role, country.
pub const DEMO_ACCOUNTS: [(&str, &str, Role, &str); 5] = [
    ("admin@demo.mercato.dev", "Ada Admin", Role::Admin, "US"),
    (
        "customer@demo.mercato.dev",
        "Carla Customer",
        Role::Customer,
        "DE",
    ),
    (
        "customer2@demo.mercato.dev",
        "Kenji Customer",
        Role::Customer,
        "JP",
    ),
    (
        "merchant@demo.mercato.dev",
        "Mona Merchant",
        Role::MerchantStaff,
        "US",
    ),
    (
        "courier@demo.mercato.dev",
        "Cody Courier",
        Role::Courier,
        "US",
    ),
];

/// Numbered demo couriers per unit of `--scale`: `courier1@demo.mercato.dev` up to
/// `courier{8 × scale}@demo.mercato.dev`.
pub const COURIERS_PER_SCALE: u32 = 8;

/// First names of the numbered demo couriers (customers see only the first name).
const COURIER_FIRST_NAMES: [&str; 16] = [
    "Noor", "Lukas", "Amara", "Mateo", "Yuki", "Priya", "Jonas", "Fatima", "Diego", "Hana", "Emil",
    "Zara", "Kofi", "Leila", "Tomás", "Ines",
];

/// Countries the numbered couriers are registered in, in turn (the demo markets).
const COURIER_COUNTRIES: [&str; 4] = ["DE", "US", "JP", "DE"];

/// Accounts created at once: argon2 hashing dominates, and the identity service bounds
/// how many hashes run in parallel anyway.
const CREATE_CONCURRENCY: usize = 8;

/// The email of numbered demo courier `n` (from 1).
#[must_use]
pub fn courier_email(n: u32) -> String {
    format!("courier{n}@demo.mercato.dev")
}

/// The numbered demo courier accounts at `scale`.
fn couriers(scale: u32) -> impl Iterator<Item = StaffAccount> {
    (1..=COURIERS_PER_SCALE.saturating_mul(scale.max(1))).map(|n| {
        let i = (n - 1) as usize;
        StaffAccount {
            email: courier_email(n),
            password: DEMO_PASSWORD.to_owned(),
            name: format!(
                "{} Courier {n}",
                COURIER_FIRST_NAMES[i % COURIER_FIRST_NAMES.len()]
            ),
            role: Role::Courier,
            country_code: COURIER_COUNTRIES[i % COURIER_COUNTRIES.len()].to_owned(),
        }
    })
}

/// Creates the demo accounts that do not exist yet: one per role, and
/// [`COURIERS_PER_SCALE`] × `scale` numbered couriers. Idempotent, so processes starting
/// together on one empty database, or a larger scale over a loaded dataset, are fine.
///
/// # Errors
/// Any failure creating an account other than it existing already.
pub async fn load(identity: &IdentityService, scale: u32) -> Result<(), IdentityError> {
    let fixed = DEMO_ACCOUNTS
        .into_iter()
        .map(|(email, name, role, country)| StaffAccount {
            email: email.to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            name: name.to_owned(),
            role,
            country_code: country.to_owned(),
        });
    let mut created = futures::stream::iter(fixed.chain(couriers(scale)))
        .map(|account| identity.create_staff_account(account))
        .buffer_unordered(CREATE_CONCURRENCY);
    while let Some(outcome) = created.next().await {
        match outcome {
            Ok(_) | Err(IdentityError::EmailTaken) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_eight_couriers_per_unit_of_scale_with_real_first_names() {
        let at_two: Vec<StaffAccount> = couriers(2).collect();
        assert_eq!(at_two.len(), 16);
        assert_eq!(at_two[0].email, "courier1@demo.mercato.dev");
        assert_eq!(at_two[15].email, "courier16@demo.mercato.dev");
        assert_eq!(at_two[0].name, "Noor Courier 1");
        assert!(at_two.iter().all(|a| a.role == Role::Courier));
        assert_eq!(couriers(0).count(), 8, "scale 0 loads like scale 1");
    }
}
