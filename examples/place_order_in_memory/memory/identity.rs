//! Identity in memory: what ordering and the catalog use of it (users, addresses, staff).

use super::*;

#[async_trait]
impl UserStore for Memory {
    /// Accounts come from [`Memory::insert_user`]: this store keeps no passwords or
    /// sessions, so identity's sign-up does not run on it.
    async fn create_user(&self, _account: &NewAccount) -> Result<User, StoreError> {
        unsupported("signing up (insert users with Memory::insert_user)")
    }

    /// Nobody has a password here.
    async fn find_credentials(
        &self,
        _email: &Email,
    ) -> Result<Option<(User, PasswordHash)>, StoreError> {
        Ok(None)
    }

    async fn password_hash(&self, _user: UserId) -> Result<Option<PasswordHash>, StoreError> {
        Ok(None)
    }

    async fn get_user(&self, user: UserId) -> Result<Option<User>, StoreError> {
        Ok(lock(&self.identity).users.get(&user).cloned())
    }

    async fn update_profile(
        &self,
        _user: UserId,
        _profile: &Profile,
    ) -> Result<Option<User>, StoreError> {
        unsupported("editing profiles")
    }

    /// Stores the hash; there are no sessions here to revoke.
    async fn change_password(
        &self,
        _user: UserId,
        _password: &PasswordHash,
        _keep: SessionId,
        _now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        unsupported("passwords")
    }

    async fn set_location(
        &self,
        _user: UserId,
        _location: &UserLocation,
    ) -> Result<(), StoreError> {
        unsupported("recording users' locations")
    }

    async fn preferences(&self, _user: UserId) -> Result<Option<Preferences>, StoreError> {
        unsupported("preferences")
    }

    async fn put_preferences(
        &self,
        _user: UserId,
        _preferences: &Preferences,
    ) -> Result<(), StoreError> {
        unsupported("preferences")
    }
}

#[async_trait]
impl AddressStore for Memory {
    /// None: this store saves no addresses (checkout is given the delivery details).
    async fn list_addresses(&self, _owner: UserId) -> Result<Vec<Address>, StoreError> {
        Ok(Vec::new())
    }

    async fn create_address(
        &self,
        _owner: UserId,
        _id: AddressId,
        _fields: &AddressFields,
        _limit: u32,
        _now: OffsetDateTime,
    ) -> Result<AddressCreated, StoreError> {
        unsupported("saving addresses")
    }

    async fn update_address(
        &self,
        _owner: UserId,
        _id: AddressId,
        _fields: &AddressFields,
        _now: OffsetDateTime,
    ) -> Result<Option<Address>, StoreError> {
        Ok(None)
    }

    async fn delete_address(&self, _owner: UserId, _id: AddressId) -> Result<bool, StoreError> {
        Ok(false)
    }
}

#[async_trait]
impl StaffDirectory for Memory {
    async fn add_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
        let mut identity = lock(&self.identity);
        let Some(found) = identity.users.get_mut(&user) else {
            return Ok(false);
        };
        if !found.roles.contains(&Role::MerchantStaff) {
            found.roles.push(Role::MerchantStaff);
        }
        identity.staff.insert((user, merchant));
        Ok(true)
    }

    async fn remove_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
        Ok(lock(&self.identity).staff.remove(&(user, merchant)))
    }
}
