//! Geography in memory: countries and cities.

use super::*;

#[async_trait]
impl GeoStore for Memory {
    async fn list_countries(&self) -> Result<Vec<Country>, StoreError> {
        let mut countries: Vec<Country> = lock(&self.geo).countries.values().cloned().collect();
        countries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(countries)
    }

    async fn country(&self, code: &CountryCode) -> Result<Option<Country>, StoreError> {
        Ok(lock(&self.geo).countries.get(code).cloned())
    }

    async fn create_country(&self, country: &Country) -> Result<(), StoreError> {
        let mut geo = lock(&self.geo);
        if geo.countries.contains_key(&country.code) {
            return Err(StoreError::UniqueViolation(COUNTRIES_PKEY.to_owned()));
        }
        geo.countries.insert(country.code.clone(), country.clone());
        Ok(())
    }

    async fn update_country(&self, country: &Country) -> Result<bool, StoreError> {
        let mut geo = lock(&self.geo);
        Ok(match geo.countries.get_mut(&country.code) {
            Some(row) => {
                *row = country.clone();
                true
            }
            None => false,
        })
    }

    async fn cities_of(&self, country: &CountryCode) -> Result<Vec<City>, StoreError> {
        let geo = lock(&self.geo);
        let mut cities: Vec<City> = geo
            .cities
            .values()
            .filter(|c| &c.country_code == country)
            .cloned()
            .collect();
        cities.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(cities)
    }

    async fn city(&self, id: CityId) -> Result<Option<City>, StoreError> {
        Ok(lock(&self.geo).cities.get(&id).cloned())
    }

    async fn create_city(&self, city: &City) -> Result<(), StoreError> {
        let mut geo = lock(&self.geo);
        if geo.cities.contains_key(&city.id) {
            return Err(StoreError::UniqueViolation("cities_pkey".to_owned()));
        }
        geo.cities.insert(city.id, city.clone());
        Ok(())
    }

    async fn update_city(&self, city: &City) -> Result<bool, StoreError> {
        let mut geo = lock(&self.geo);
        Ok(match geo.cities.get_mut(&city.id) {
            Some(row) => {
                *row = city.clone();
                true
            }
            None => false,
        })
    }

    async fn set_city_category(
        &self,
        city: CityId,
        category: ServiceCategory,
        enabled: bool,
    ) -> Result<Option<City>, StoreError> {
        let mut geo = lock(&self.geo);
        let Some(row) = geo.cities.get_mut(&city) else {
            return Ok(None);
        };
        row.categories.retain(|c| *c != category);
        if enabled {
            row.categories.push(category);
            row.categories.sort_unstable();
        }
        Ok(Some(row.clone()))
    }

    /// Every enabled city of an enabled country: with a handful of cities there is no need
    /// for the bounding boxes a database keeps; the caller checks each zone exactly.
    async fn cities_around(&self, _point: LatLng) -> Result<Vec<City>, StoreError> {
        let geo = lock(&self.geo);
        Ok(geo
            .cities
            .values()
            .filter(|c| {
                c.enabled
                    && geo
                        .countries
                        .get(&c.country_code)
                        .is_some_and(|country| country.enabled)
            })
            .cloned()
            .collect())
    }
}
