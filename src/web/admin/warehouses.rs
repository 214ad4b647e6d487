//! `/admin/warehouses` and `/admin/carriers`: the warehouses sellers drop
//! parcels off at and the carriers parcels leave with. Staff read them; the
//! admin adds, edits and (with a confirmation) deactivates them.

use crate::db::warehouse::{Carrier, Warehouse};
use crate::domain::field_errors::FieldErrors;
use crate::services::ServiceError;
use crate::services::warehouses::{self, CarrierSettings, WarehouseSettings};
use crate::web::auth::{Admin, Staff};
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/warehouses", web::get().to(list))
        .route("/admin/warehouses", web::post().to(create))
        .route("/admin/warehouses/new", web::get().to(new_form))
        .route("/admin/warehouses/{id}", web::get().to(edit_form))
        .route("/admin/warehouses/{id}", web::post().to(update))
        .route("/admin/warehouses/{id}/active", web::post().to(set_active))
        .route("/admin/carriers", web::post().to(create_carrier))
        .route("/admin/carriers/{code}", web::get().to(carrier_form))
        .route("/admin/carriers/{code}", web::post().to(update_carrier));
}

/// The new-carrier form as typed.
#[derive(Deserialize, Default)]
pub struct CarrierForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    active: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/warehouses.html")]
struct ListPage {
    ctx: PageCtx,
    warehouses: Vec<Warehouse>,
    carriers: Vec<Carrier>,
    /// The new-carrier form (the admin's), as typed.
    carrier: CarrierForm,
    errors: FieldErrors,
}

async fn list_page(
    ctx: PageCtx,
    staff: &Staff,
    state: &AppState,
    carrier: CarrierForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let actor = staff.0.actor();
    let (warehouses, carriers) = run(state, move |conn| {
        Ok((
            warehouses::list(conn, &actor)?,
            warehouses::carriers(conn, &actor)?,
        ))
    })
    .await?;
    render_with(
        &ListPage {
            ctx,
            warehouses,
            carriers,
            carrier,
            errors,
        },
        status,
    )
}

/// Handles GET /admin/warehouses.
async fn list(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    list_page(
        ctx,
        &staff,
        &state,
        CarrierForm::default(),
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// The warehouse form as typed.
#[derive(Deserialize, Default)]
pub struct WarehouseForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    address_zh: String,
    #[serde(default)]
    opening_hours: String,
    #[serde(default)]
    map_note: String,
}

impl WarehouseForm {
    fn from_warehouse(w: &Warehouse) -> WarehouseForm {
        WarehouseForm {
            name: w.name.clone(),
            address_zh: w.address_zh.clone(),
            opening_hours: w.opening_hours.clone(),
            map_note: w.map_note.clone(),
        }
    }

    fn parse(&self) -> Result<WarehouseSettings, FieldErrors> {
        WarehouseSettings::parse(
            &self.name,
            &self.address_zh,
            &self.opening_hours,
            &self.map_note,
        )
    }
}

#[derive(Template)]
#[template(path = "admin/warehouse_edit.html")]
struct EditPage {
    ctx: PageCtx,
    /// `None` for a new warehouse.
    warehouse: Option<Warehouse>,
    form: WarehouseForm,
    errors: FieldErrors,
}

impl EditPage {
    fn action(&self) -> String {
        match &self.warehouse {
            Some(w) => format!("/admin/warehouses/{}", w.id),
            None => "/admin/warehouses".to_owned(),
        }
    }
}

/// Handles GET /admin/warehouses/new.
async fn new_form(ctx: PageCtx, _admin: Admin) -> Result<HttpResponse, AppError> {
    render(&EditPage {
        ctx,
        warehouse: None,
        form: WarehouseForm::default(),
        errors: FieldErrors::new(),
    })
}

/// Handles GET /admin/warehouses/{id}.
async fn edit_form(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let actor = admin.0.actor();
    let id = id.into_inner();
    let warehouse = run(&state, move |conn| warehouses::get(conn, &actor, id)).await?;
    render(&EditPage {
        ctx,
        form: WarehouseForm::from_warehouse(&warehouse),
        warehouse: Some(warehouse),
        errors: FieldErrors::new(),
    })
}

/// Handles POST /admin/warehouses: a new warehouse.
async fn create(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<WarehouseForm>,
) -> Result<HttpResponse, AppError> {
    save(ctx, admin, session, state, None, form.into_inner()).await
}

/// Handles POST /admin/warehouses/{id}: a warehouse's name, address, hours, map note.
async fn update(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<WarehouseForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    save(ctx, admin, session, state, Some(id), form.into_inner()).await
}

async fn save(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    id: Option<i64>,
    form: WarehouseForm,
) -> Result<HttpResponse, AppError> {
    let actor = admin.0.actor();
    let errors = match form.parse() {
        Ok(settings) => {
            run(&state, move |conn| match id {
                Some(id) => warehouses::update(conn, &actor, id, &settings),
                None => warehouses::create(conn, &actor, &settings).map(|_| ()),
            })
            .await?;
            ctx::flash(&session, "success", "flash.warehouse_saved");
            return Ok(redirect("/admin/warehouses"));
        }
        Err(errors) => errors,
    };
    let warehouse = match id {
        Some(id) => {
            let actor = admin.0.actor();
            Some(run(&state, move |conn| warehouses::get(conn, &actor, id)).await?)
        }
        None => None,
    };
    render_with(
        &EditPage {
            ctx,
            warehouse,
            form,
            errors,
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

#[derive(Deserialize)]
struct ActiveForm {
    #[serde(default)]
    active: String,
    #[serde(default)]
    confirm: String,
}

/// Handles POST /admin/warehouses/{id}/active: deactivate or reactivate,
/// only with the confirmation ticked.
async fn set_active(
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ActiveForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let active = match form.active.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest("error.warehouse.active")),
    };
    if form.confirm != "yes" {
        ctx::flash(&session, "error", "flash.warehouse_confirm");
        return Ok(redirect(&format!("/admin/warehouses/{id}")));
    }
    let actor = admin.0.actor();
    run(&state, move |conn| {
        warehouses::set_active(conn, &actor, id, active)
    })
    .await?;
    let key = if active {
        "flash.warehouse_reactivated"
    } else {
        "flash.warehouse_deactivated"
    };
    ctx::flash(&session, "success", key);
    Ok(redirect("/admin/warehouses"))
}

/// Handles POST /admin/carriers: a new carrier; a refused form shows the list again.
async fn create_carrier(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<CarrierForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let actor = admin.0.actor();
    let result = match CarrierSettings::parse(&form.code, &form.name) {
        Ok(settings) => {
            run(&state, move |conn| {
                warehouses::create_carrier(conn, &actor, &settings)
            })
            .await
        }
        Err(errors) => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.carrier_saved");
            Ok(redirect("/admin/warehouses#carriers"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let staff = Staff(admin.0);
            list_page(
                ctx,
                &staff,
                &state,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => Err(error),
    }
}

#[derive(Template)]
#[template(path = "admin/carrier.html")]
struct CarrierPage {
    ctx: PageCtx,
    carrier: Carrier,
    form: CarrierForm,
    errors: FieldErrors,
}

/// Handles GET /admin/carriers/{code}.
async fn carrier_form(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = admin.0.actor();
    let carrier = run(&state, move |conn| warehouses::carrier(conn, &actor, &code)).await?;
    render(&CarrierPage {
        ctx,
        form: CarrierForm {
            code: carrier.code.clone(),
            name: carrier.name.clone(),
            active: carrier.active.then(|| "yes".to_owned()),
        },
        carrier,
        errors: FieldErrors::new(),
    })
}

/// Handles POST /admin/carriers/{code}: the name, and whether orders may be handed to it.
async fn update_carrier(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Form<CarrierForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let actor = admin.0.actor();
    let carrier = run(&state, move |conn| warehouses::carrier(conn, &actor, &code)).await?;
    let mut errors = FieldErrors::new();
    let name = warehouses::carrier_name(&form.name, &mut errors);
    if !errors.is_empty() {
        return render_with(
            &CarrierPage {
                ctx,
                carrier,
                form,
                errors,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let actor = admin.0.actor();
    let active = form.active.is_some();
    let code = carrier.code.clone();
    run(&state, move |conn| {
        warehouses::update_carrier(conn, &actor, &code, &name, active)
    })
    .await?;
    ctx::flash(&session, "success", "flash.carrier_saved");
    Ok(redirect("/admin/warehouses#carriers"))
}
