//! The admin's warehouse settings (issue #10): the platform warehouses
//! sellers drop parcels off at, and the carriers parcels are handed to.
//! Staff may read them; only the admin changes them, every change audited.

use super::audit::{self, Event};
use super::{Actor, ServiceError, ServiceResult, now};
use crate::db::schema::{carriers, warehouses};
use crate::db::warehouse::{Carrier, Warehouse};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use diesel::prelude::*;

/// The longest name, address, opening hours and map note a warehouse takes.
pub const MAX_NAME: usize = 60;
pub const MAX_ADDRESS: usize = 200;
pub const MAX_HOURS: usize = 100;
pub const MAX_MAP_NOTE: usize = 300;
/// The longest carrier code (`A–Z0–9`) and name.
pub const MAX_CARRIER_CODE: usize = 10;
pub const MAX_CARRIER_NAME: usize = 60;

/// A warehouse as the admin's form gives it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarehouseSettings {
    pub name: String,
    pub address_zh: String,
    pub opening_hours: String,
    /// How to find the door; may be empty.
    pub map_note: String,
}

impl WarehouseSettings {
    /// Checks the typed fields; every problem is named beside its field.
    pub fn parse(
        name: &str,
        address_zh: &str,
        opening_hours: &str,
        map_note: &str,
    ) -> Result<WarehouseSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut text = |field: &'static str, value: &str, max: usize, long: &'static str| {
            let value = value.trim();
            if value.is_empty() && field != "map_note" {
                errors.add(field, "error.warehouse.required");
            } else if value.chars().count() > max {
                errors.add(field, long);
            }
            value.to_owned()
        };
        let settings = WarehouseSettings {
            name: text("name", name, MAX_NAME, "error.warehouse.name_long"),
            address_zh: text(
                "address_zh",
                address_zh,
                MAX_ADDRESS,
                "error.warehouse.address_long",
            ),
            opening_hours: text(
                "opening_hours",
                opening_hours,
                MAX_HOURS,
                "error.warehouse.hours_long",
            ),
            map_note: text(
                "map_note",
                map_note,
                MAX_MAP_NOTE,
                "error.warehouse.note_long",
            ),
        };
        // Couriers and drivers in China read the address as written on the door.
        if !settings.address_zh.is_empty() && !settings.address_zh.chars().any(is_han) {
            errors.add("address_zh", "error.warehouse.address_chinese");
        }
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// A carrier as the admin's form gives it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarrierSettings {
    /// Capital letters and digits, at most [`MAX_CARRIER_CODE`].
    pub code: String,
    pub name: String,
}

impl CarrierSettings {
    pub fn parse(code: &str, name: &str) -> Result<CarrierSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = code.trim().to_ascii_uppercase();
        let code_ok = !code.is_empty()
            && code.len() <= MAX_CARRIER_CODE
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !code_ok {
            errors.add("code", "error.carrier.code");
        }
        let name = carrier_name(name, &mut errors);
        if errors.is_empty() {
            Ok(CarrierSettings { code, name })
        } else {
            Err(errors)
        }
    }
}

/// A carrier's display name, checked into `errors` under `name`.
pub fn carrier_name(name: &str, errors: &mut FieldErrors) -> String {
    let name = name.trim();
    if name.is_empty() {
        errors.add("name", "error.warehouse.required");
    } else if name.chars().count() > MAX_CARRIER_NAME {
        errors.add("name", "error.carrier.name_long");
    }
    name.to_owned()
}

/// Every warehouse, active first, for staff.
pub fn list(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Vec<Warehouse>> {
    actor.require_staff()?;
    Ok(warehouses::table
        .order((warehouses::active.desc(), warehouses::name.asc()))
        .select(Warehouse::as_select())
        .load(conn)?)
}

/// The warehouses sellers may choose today.
pub fn active(conn: &mut DbConnection) -> QueryResult<Vec<Warehouse>> {
    warehouses::table
        .filter(warehouses::active.eq(true))
        .order((warehouses::name.asc(), warehouses::id.asc()))
        .select(Warehouse::as_select())
        .load(conn)
}

/// One warehouse, for staff.
pub fn get(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<Warehouse> {
    actor.require_staff()?;
    Ok(warehouses::table
        .find(id)
        .select(Warehouse::as_select())
        .first(conn)?)
}

/// The admin adds a warehouse (active at once); returns its id.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    settings: &WarehouseSettings,
) -> ServiceResult<i64> {
    actor.require_admin()?;
    write_tx(conn, |conn| {
        let id = insert(conn, settings)?;
        record(conn, actor, "warehouse.create", id, &settings.name)?;
        Ok(id)
    })
}

fn insert(conn: &mut DbConnection, settings: &WarehouseSettings) -> QueryResult<i64> {
    let at = now();
    crate::with_backend!(conn, |c| diesel::insert_into(warehouses::table)
        .values((
            warehouses::name.eq(&settings.name),
            warehouses::address_zh.eq(&settings.address_zh),
            warehouses::opening_hours.eq(&settings.opening_hours),
            warehouses::map_note.eq(&settings.map_note),
            warehouses::active.eq(true),
            warehouses::created_at.eq(at),
            warehouses::updated_at.eq(at),
        ))
        .returning(warehouses::id)
        .get_result(c))
}

/// The admin changes a warehouse's name, address, hours or map note.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    settings: &WarehouseSettings,
) -> ServiceResult<()> {
    actor.require_admin()?;
    write_tx(conn, |conn| {
        let updated = diesel::update(warehouses::table.find(id))
            .set((
                warehouses::name.eq(&settings.name),
                warehouses::address_zh.eq(&settings.address_zh),
                warehouses::opening_hours.eq(&settings.opening_hours),
                warehouses::map_note.eq(&settings.map_note),
                warehouses::updated_at.eq(now()),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Err(diesel::result::Error::NotFound.into());
        }
        record(conn, actor, "warehouse.update", id, &settings.name)
    })
}

/// The admin stops offering a warehouse to sellers, or offers it again.
/// Orders already sent there keep it.
pub fn set_active(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    active: bool,
) -> ServiceResult<()> {
    actor.require_admin()?;
    write_tx(conn, |conn| {
        let warehouse: Warehouse = warehouses::table
            .find(id)
            .select(Warehouse::as_select())
            .first(conn)?;
        if warehouse.active == active {
            return Ok(());
        }
        diesel::update(warehouses::table.find(id))
            .set((
                warehouses::active.eq(active),
                warehouses::updated_at.eq(now()),
            ))
            .execute(conn)?;
        let action = if active {
            "warehouse.reactivate"
        } else {
            "warehouse.deactivate"
        };
        record(conn, actor, action, id, &warehouse.name)
    })
}

fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    id: i64,
    detail: &str,
) -> ServiceResult<()> {
    audit::record(
        conn,
        actor,
        Event {
            action,
            company: None,
            target_type: "warehouse",
            target_id: id.to_string(),
            detail: detail.to_owned(),
        },
    )?;
    Ok(())
}

/// Every carrier by code, for staff.
pub fn carriers(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Vec<Carrier>> {
    actor.require_staff()?;
    Ok(carriers::table
        .order(carriers::code.asc())
        .select(Carrier::as_select())
        .load(conn)?)
}

/// One carrier by code, for staff.
pub fn carrier(conn: &mut DbConnection, actor: &Actor, code: &str) -> ServiceResult<Carrier> {
    actor.require_staff()?;
    Ok(carriers::table
        .find(code.trim().to_ascii_uppercase())
        .select(Carrier::as_select())
        .first(conn)?)
}

/// The admin adds a carrier; a code already used is refused beside the field.
pub fn create_carrier(
    conn: &mut DbConnection,
    actor: &Actor,
    settings: &CarrierSettings,
) -> ServiceResult<()> {
    actor.require_admin()?;
    write_tx(conn, |conn| {
        let taken: bool = diesel::select(diesel::dsl::exists(carriers::table.find(&settings.code)))
            .get_result(conn)?;
        if taken {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "code",
                "error.carrier.code_taken",
            )));
        }
        diesel::insert_into(carriers::table)
            .values((
                carriers::code.eq(&settings.code),
                carriers::name.eq(&settings.name),
                carriers::active.eq(true),
                carriers::created_at.eq(now()),
            ))
            .execute(conn)?;
        record_carrier(
            conn,
            actor,
            "carrier.create",
            &settings.code,
            &settings.name,
        )
    })
}

/// The admin renames a carrier or switches it off (or on again); the code,
/// which orders keep, never changes.
pub fn update_carrier(
    conn: &mut DbConnection,
    actor: &Actor,
    code: &str,
    name: &str,
    active: bool,
) -> ServiceResult<()> {
    actor.require_admin()?;
    write_tx(conn, |conn| {
        let carrier: Carrier = carriers::table
            .find(code)
            .select(Carrier::as_select())
            .first(conn)?;
        diesel::update(carriers::table.find(code))
            .set((carriers::name.eq(name), carriers::active.eq(active)))
            .execute(conn)?;
        if carrier.name != name {
            record_carrier(conn, actor, "carrier.update", code, name)?;
        }
        if carrier.active != active {
            let action = if active {
                "carrier.reactivate"
            } else {
                "carrier.deactivate"
            };
            record_carrier(conn, actor, action, code, name)?;
        }
        Ok(())
    })
}

fn record_carrier(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    code: &str,
    detail: &str,
) -> ServiceResult<()> {
    audit::record(
        conn,
        actor,
        Event {
            action,
            company: None,
            target_type: "carrier",
            target_id: code.to_owned(),
            detail: detail.to_owned(),
        },
    )?;
    Ok(())
}

/// The demo warehouse a fresh install starts with, so sellers can choose a
/// drop-off before the admin has set anything up.
fn demo() -> WarehouseSettings {
    WarehouseSettings {
        name: "深圳宝安仓 Shenzhen Bao'an warehouse".to_owned(),
        address_zh: "广东省深圳市宝安区福永街道福海工业区 A 栋 1 楼".to_owned(),
        opening_hours: "周一至周六 09:00–18:00 · Mon–Sat 09:00–18:00".to_owned(),
        map_note:
            "福永地铁站 A 口步行 8 分钟，蓝色大门 · 8 min walk from Fuyong metro exit A, blue gate"
                .to_owned(),
    }
}

/// Adds the demo warehouse when there is none at all (a first start).
pub fn seed_demo(conn: &mut DbConnection) -> QueryResult<()> {
    let any = warehouses::table.count().get_result::<i64>(conn)? > 0;
    if !any {
        insert(conn, &demo())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warehouse_needs_all_but_the_map_note_and_a_chinese_address() {
        let ok = WarehouseSettings::parse(" 仓 ", "深圳市宝安区 1 号", "9-18", "");
        assert!(ok.is_ok());
        let errors = WarehouseSettings::parse("", "Bao'an 1", " ", "").expect_err("refused");
        assert_eq!(errors.get("name"), Some("error.warehouse.required"));
        assert_eq!(
            errors.get("address_zh"),
            Some("error.warehouse.address_chinese")
        );
        assert_eq!(
            errors.get("opening_hours"),
            Some("error.warehouse.required")
        );
        assert_eq!(errors.get("map_note"), None);
        let long = "长".repeat(MAX_MAP_NOTE + 1);
        let errors = WarehouseSettings::parse("仓", "深圳", "9-18", &long).expect_err("refused");
        assert_eq!(errors.get("map_note"), Some("error.warehouse.note_long"));
    }

    #[test]
    fn carrier_codes_are_capitals_and_digits() {
        assert_eq!(
            CarrierSettings::parse(" sf1 ", "SF Express").map(|c| c.code),
            Ok("SF1".to_owned())
        );
        for bad in ["", "S-F", "ABCDEFGHIJK", "顺丰"] {
            let errors = CarrierSettings::parse(bad, "SF").expect_err("refused");
            assert_eq!(errors.get("code"), Some("error.carrier.code"), "{bad}");
        }
    }

    #[test]
    fn the_demo_warehouse_passes_the_admins_checks() {
        let d = demo();
        assert_eq!(
            WarehouseSettings::parse(&d.name, &d.address_zh, &d.opening_hours, &d.map_note),
            Ok(d)
        );
    }
}
