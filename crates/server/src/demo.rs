//! The demo dataset loaded into an empty database in development: one account per role,
//! all with the password [`DEMO_PASSWORD`].

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

/// Creates the demo accounts that do not exist yet. Idempotent, so processes starting
/// together on one empty database cannot trip over each other.
///
/// # Errors
/// Any failure creating an account other than it existing already.
pub async fn load(identity: &IdentityService) -> Result<(), IdentityError> {
    for (email, name, role, country) in DEMO_ACCOUNTS {
        let created = identity
            .create_staff_account(StaffAccount {
                email: email.to_owned(),
                password: DEMO_PASSWORD.to_owned(),
                name: name.to_owned(),
                role,
                country_code: country.to_owned(),
            })
            .await;
        match created {
            Ok(_) | Err(IdentityError::EmailTaken) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(())
}
