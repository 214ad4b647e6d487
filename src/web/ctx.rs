//! What every page shares: language, signed-in user, unread count, flash
//! message and CSRF token. Loaded once per request by the `PageCtx` extractor.

use super::errors::AppError;
use super::{AppState, run};
use crate::domain::ids::{CompanyId, SessionId, UserId};
use crate::domain::status::Role;
use crate::i18n::{self, Lang};
use crate::services::{Actor, notifications, sessions};
use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::header::{ACCEPT_LANGUAGE, USER_AGENT};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "lang";
/// The session's token; the `sessions` row behind it says whether it is alive.
const SESSION_TOKEN: &str = "sid";
const SESSION_CSRF: &str = "csrf";
const SESSION_FLASH: &str = "flash";

/// The signed-in user, as checked against the database for this request.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub company_id: Option<CompanyId>,
    pub must_change_password: bool,
    pub ip: String,
    /// The server-side session this request came with.
    pub session: SessionId,
}

impl SessionUser {
    /// The actor services check permissions against.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            email: self.email.clone(),
            role: self.role,
            company_id: self.company_id,
            ip: self.ip.clone(),
        }
    }

    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_owner(&self) -> bool {
        self.role == Role::Owner
    }
}

/// A one-time message shown on the next page.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flash {
    /// `success` or `error`; a CSS class.
    pub kind: String,
    pub key: String,
}

/// Queues a message for the next page.
pub fn flash(session: &Session, kind: &str, key: &str) {
    let flash = Flash {
        kind: kind.to_owned(),
        key: key.to_owned(),
    };
    if let Err(error) = session.insert(SESSION_FLASH, flash) {
        tracing::warn!(%error, "could not store flash message");
    }
}

/// Signs `user` in: a new server-side session (with this browser's user
/// agent and address), its token in a fresh cookie, a new CSRF token.
pub async fn sign_in(req: &HttpRequest, session: &Session, user: UserId) -> Result<(), AppError> {
    let state = state(req)?;
    let user_agent = req
        .headers()
        .get(USER_AGENT)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default();
    let ip = client_ip(req);
    let lifetime = state.settings.session_lifetime;
    let previous = session.get::<String>(SESSION_TOKEN).ok().flatten();
    let token = run(&state, move |conn| {
        Ok(sessions::start(
            conn,
            user,
            previous.as_deref(),
            &user_agent,
            &ip,
            &lifetime,
        )?)
    })
    .await?;
    session.renew();
    session
        .insert(SESSION_TOKEN, token)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // A new token after sign-in: one seen before it is worth nothing after.
    session
        .insert(SESSION_CSRF, crate::services::tokens::generate())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Ends the server-side session (so a copy of the cookie is worthless too)
/// and empties the cookie.
pub async fn sign_out(req: &HttpRequest, session: &Session) -> Result<(), AppError> {
    if let Ok(Some(token)) = session.get::<String>(SESSION_TOKEN) {
        let ip = client_ip(req);
        run(&*state(req)?, move |conn| {
            Ok(sessions::sign_out(conn, &token, &ip)?)
        })
        .await?;
    }
    session.purge();
    Ok(())
}

/// The CSRF token of the session, creating one if there is none yet.
pub fn csrf_token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(SESSION_CSRF) {
        return token;
    }
    let token = crate::services::tokens::generate();
    if let Err(error) = session.insert(SESSION_CSRF, &token) {
        tracing::warn!(%error, "could not store CSRF token");
    }
    token
}

/// Whether the session says someone signed in (not yet checked against the
/// database: enough to choose how much of a body to accept).
pub fn has_signed_in_user(session: &Session) -> bool {
    matches!(session.get::<String>(SESSION_TOKEN), Ok(Some(_)))
}

/// The token the session expects on POST, if it has one.
pub fn expected_csrf(session: &Session) -> Option<String> {
    session.get::<String>(SESSION_CSRF).ok().flatten()
}

/// The client's address: the socket's peer, or behind a trusted proxy
/// (`TRUSTED_PROXIES`) the hop it appended to `X-Forwarded-For`.
pub fn client_ip(req: &HttpRequest) -> String {
    let peer = req.peer_addr().map(|addr| addr.ip());
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.settings.trusted_proxies.as_slice())
        .unwrap_or_default();
    let forwarded: Vec<&str> = if trusted.is_empty() {
        Vec::new()
    } else {
        req.headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .collect()
    };
    crate::domain::client_address::client(peer, &forwarded, trusted)
        .map(|ip| ip.to_string())
        .unwrap_or_default()
}

/// The language chosen with the switch, or the default (Chinese): the
/// users of the app are companies in China.
pub fn lang_of(req: &HttpRequest) -> Lang {
    switched_lang(req).unwrap_or_default()
}

fn switched_lang(req: &HttpRequest) -> Option<Lang> {
    req.cookie(LANG_COOKIE)
        .and_then(|c| Lang::from_code(c.value()))
}

/// The language of a page for people outside the platform, mostly abroad (a
/// recipient, a KOL): the switch if they used it, else what their browser
/// asks for, else English (a browser that names neither UI language is not Chinese).
pub fn lang_for_outsider(req: &HttpRequest) -> Lang {
    switched_lang(req)
        .or_else(|| browser_lang(req))
        .unwrap_or(Lang::En)
}

/// The UI language the browser's `Accept-Language` ranks highest, if any.
fn browser_lang(req: &HttpRequest) -> Option<Lang> {
    req.headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(Lang::from_accept_language)
}

/// The language a reader asked for, by the switch or their browser, else
/// Chinese: for pages answered before anyone is known (error pages).
pub fn lang_of_reader(req: &HttpRequest) -> Lang {
    switched_lang(req)
        .or_else(|| browser_lang(req))
        .unwrap_or_default()
}

const SESSION_ENDED: &str = "flash.session_ended";

/// Marks a request whose session was just voided. Extractors run in no fixed
/// order, so a page context may already have taken the flash message; the
/// sign-in redirect puts it back (see `flash_if_session_ended`).
#[derive(Clone, Copy)]
struct SessionEnded;

/// Keeps the "your session ended" message for the sign-in page this request
/// is being redirected to.
pub fn flash_if_session_ended(req: &HttpRequest) {
    if req.extensions().get::<SessionEnded>().is_some() {
        flash(&req.get_session(), "error", SESSION_ENDED);
    }
}

/// The user of this request's session, checked once against the database and
/// cached for the rest of the request. A session that ended (signed out
/// elsewhere, idle or too old, password changed, account disabled) is signed out.
pub async fn current_user(req: &HttpRequest) -> Result<Option<SessionUser>, AppError> {
    if let Some(cached) = req.extensions().get::<Option<SessionUser>>() {
        return Ok(cached.clone());
    }
    let session = req.get_session();
    let token = session.get::<String>(SESSION_TOKEN).ok().flatten();
    let user = match token {
        None => None,
        Some(token) => {
            let state = state(req)?;
            let lifetime = state.settings.session_lifetime;
            let alive = run(&state, move |conn| {
                Ok(sessions::check(conn, &token, &lifetime)?)
            })
            .await?;
            match alive {
                Some((session_id, user)) => Some(SessionUser {
                    id: UserId(user.id),
                    email: user.email,
                    name: user.display_name,
                    role: user.role,
                    company_id: user.company_id.map(CompanyId),
                    must_change_password: user.must_change_password,
                    ip: client_ip(req),
                    session: session_id,
                }),
                None => {
                    // Cleared rather than purged, so the cookie survives to
                    // carry the message to the sign-in page.
                    session.clear();
                    flash(&session, "error", SESSION_ENDED);
                    req.extensions_mut().insert(SessionEnded);
                    None
                }
            }
        }
    };
    req.extensions_mut().insert(user.clone());
    Ok(user)
}

pub fn state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal("application state missing".to_owned()))
}

/// The shared context of every page.
pub struct PageCtx {
    pub lang: Lang,
    pub user: Option<SessionUser>,
    pub unread: i64,
    pub flash: Option<Flash>,
    pub csrf: String,
    /// The data is `samplepost demo`'s (the cached flag of the app state).
    pub demo: bool,
    /// The request's path, for `aria-current` in the navigation.
    pub path: String,
}

impl PageCtx {
    /// The catalogue text for `key` in the page's language.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        i18n::t(self.lang, key)
    }

    /// The catalogue text of an enum value, e.g. `tv("company_status", status)`.
    pub fn tv(&self, prefix: &str, value: impl std::fmt::Display) -> String {
        i18n::t(self.lang, &format!("{prefix}.{value}")).to_owned()
    }

    /// Fixed bilingual text as HTML, the runs in the other language
    /// marked with `lang` (`web::lang_runs`); use with `|safe`.
    pub fn mixed(&self, text: impl AsRef<str>) -> String {
        super::lang_runs::mark(text.as_ref(), self.lang)
    }

    /// Every country for a destination picker: the main destinations first.
    pub fn destinations(&self) -> Vec<&'static crate::domain::country::Country> {
        crate::domain::country::destinations()
    }

    /// The same as ready `<option>`s ("美国 · US"), `chosen` selected:
    /// escaped once per language (`web::picker`), not on every request.
    pub fn destination_options(&self, chosen: &str) -> String {
        super::picker::destinations(self.lang).with_selected(chosen)
    }

    /// A country's name in the page's language, or the code when unknown.
    pub fn country_name(&self, code: &str) -> String {
        match (crate::domain::country::find(code), self.lang) {
            (Some(c), Lang::ZhCn) => c.name_zh.clone(),
            (Some(c), Lang::En) => c.name_en.clone(),
            (None, _) => code.to_owned(),
        }
    }

    /// A stored list of country codes (`US,DE`) as names with their codes.
    pub fn countries_text(&self, codes: &str) -> String {
        self.join(
            codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|code| format!("{} {code}", self.country_name(code))),
        )
    }

    /// A stored list of product categories (`electronics,toys`) in words.
    pub fn categories_text(&self, categories: &str) -> String {
        self.join(
            categories
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| self.tv("category", c)),
        )
    }

    fn join(&self, items: impl Iterator<Item = String>) -> String {
        let separator = match self.lang {
            Lang::ZhCn => "、",
            Lang::En => ", ",
        };
        items.collect::<Vec<_>>().join(separator)
    }

    /// A stored E.164 phone number: Chinese ones as dialled at home, others with their country code.
    pub fn phone(&self, e164: &str) -> String {
        crate::domain::phone::display(e164)
    }

    /// A stored UTC time shown in China Standard Time (UTC+8, no daylight saving).
    pub fn time(&self, at: &chrono::NaiveDateTime) -> String {
        crate::domain::china_time::local(*at)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn other_lang_code(&self) -> &'static str {
        self.lang.other().code()
    }

    pub fn is_staff(&self) -> bool {
        self.user.as_ref().is_some_and(SessionUser::is_staff)
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(SessionUser::is_admin)
    }

    pub fn is_owner(&self) -> bool {
        self.user.as_ref().is_some_and(SessionUser::is_owner)
    }

    /// Managers and the owner decide on their team's orders.
    pub fn is_approver(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::Owner | Role::Manager))
    }

    /// The navigation link to `href` is this page (`aria-current="page"`).
    pub fn is_current(&self, href: &str) -> bool {
        self.path == href
    }

    pub fn is_member(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.company_id.is_some())
    }

    async fn load(req: HttpRequest) -> Result<PageCtx, AppError> {
        let user = current_user(&req).await?;
        let unread = match &user {
            Some(user) => {
                let id = user.id;
                run(&*state(&req)?, move |conn| {
                    Ok(notifications::unread_count(conn, id)?)
                })
                .await?
            }
            None => 0,
        };
        let session = req.get_session();
        let flash = session
            .remove_as::<Flash>(SESSION_FLASH)
            .and_then(Result::ok);
        Ok(PageCtx {
            lang: lang_of(&req),
            user,
            unread,
            flash,
            csrf: csrf_token(&session),
            demo: state(&req).is_ok_and(|s| s.demo.get()),
            path: req.path().to_owned(),
        })
    }
}

impl FromRequest for PageCtx {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<PageCtx, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(PageCtx::load(req.clone()))
    }
}

/// The context of a page for people outside the platform (`/r/{token}` and
/// the recipient's later pages): a [`PageCtx`] in [`lang_for_outsider`].
pub struct OutsiderCtx(pub PageCtx);

impl FromRequest for OutsiderCtx {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<OutsiderCtx, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let mut ctx = PageCtx::load(req.clone()).await?;
            ctx.lang = lang_for_outsider(&req);
            Ok(OutsiderCtx(ctx))
        })
    }
}
