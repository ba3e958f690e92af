//! Form pieces: a labelled `Field` (text, text area, number, date, …), an `EnumSelect` over a
//! shared enum's values and labels, a `DateInput`, and `FormError` for the error a form's last
//! submission got. A field shows the server's error for it (`ErrorBody.field`) next to its input,
//! tied to it with `aria-describedby`.

use crate::api::ApiError;
use leptos::prelude::*;

/// The kind of input a `Field` renders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InputKind {
    #[default]
    Text,
    TextArea,
    Number,
    Date,
    Password,
    Email,
    Tel,
}

impl InputKind {
    fn type_attr(self) -> &'static str {
        match self {
            InputKind::Text | InputKind::TextArea => "text",
            InputKind::Number => "number",
            InputKind::Date => "date",
            InputKind::Password => "password",
            InputKind::Email => "email",
            InputKind::Tel => "tel",
        }
    }
}

/// The words of `error` when the server named `name` as the field at fault (its "name: " prefix
/// taken off, so the caseworker reads "must be at least 2 characters", not "q: …").
pub fn field_error(error: &Option<ApiError>, name: &str) -> Option<String> {
    match error {
        Some(ApiError::Failed(body)) if body.field.as_deref() == Some(name) => {
            Some(crate::api::plain_words(&body.error, Some(name)))
        }
        _ => None,
    }
}

fn describedby(hint: Option<&str>, error: Option<&str>) -> Option<String> {
    let ids: Vec<&str> = hint.into_iter().chain(error).collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A labelled input. `name` is the request field it fills (the `ErrorBody.field` the server
/// names) and, with the form's `form` prefix, the input's id. `error` is the form's last error.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    name: &'static str,
    value: RwSignal<String>,
    /// Makes the id unique on the page: e.g. "service-new".
    #[prop(into)]
    form: String,
    #[prop(optional, into)] error: Signal<Option<ApiError>>,
    #[prop(optional)] kind: InputKind,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] test_id: Option<String>,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let message = Memo::new(move |_| error.with(|e| field_error(e, name)));
    let hint_id2 = hint_id.clone();
    let error_id2 = error_id.clone();
    let described = move || {
        let e = message.with(Option::is_some).then_some(error_id2.as_str());
        describedby(hint_id2.as_deref(), e)
    };
    let invalid = move || message.with(Option::is_some).then_some("true");
    let test_id = test_id.unwrap_or_else(|| format!("field-{name}"));
    let input = if kind == InputKind::TextArea {
        view! {
            <textarea id=id.clone() name=name data-test-id=test_id required=required
                aria-describedby=described aria-invalid=invalid rows="4"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name type=kind.type_attr() data-test-id=test_id
                required=required autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                inputmode=(kind == InputKind::Number).then_some("numeric")
                aria-describedby=described aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=move || message.with(Option::is_some)>
            <label for=id.clone()>{label}{required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {input}
            {move || message.get().map(|m| view! {
                <p class="field-error" id=error_id.clone() data-test-id="field-error">{m}</p>
            })}
        </div>
    }
}

/// A date input (`YYYY-MM-DD` in its value), labelled, with the server's error for `name`.
#[component]
pub fn DateInput(
    #[prop(into)] label: String,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] form: String,
    #[prop(optional, into)] error: Signal<Option<ApiError>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! {
        <Field label=label name=name value=value form=form error=error kind=InputKind::Date
            hint=hint.unwrap_or_default() required=required />
    }
}

/// A select over `options` (a shared enum's `ALL`), each shown by `label` (the enum's `label`).
/// `value` is the chosen one; with `placeholder`, `None` offers "Choose…" first.
#[component]
pub fn EnumSelect<T>(
    #[prop(into)] label: String,
    name: &'static str,
    options: Vec<T>,
    label_of: fn(T) -> &'static str,
    value: RwSignal<Option<T>>,
    #[prop(into)] form: String,
    #[prop(optional, into)] error: Signal<Option<ApiError>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] placeholder: bool,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let id = format!("{form}-{name}");
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let message = Memo::new(move |_| error.with(|e| field_error(e, name)));
    let hint_id2 = hint_id.clone();
    let error_id2 = error_id.clone();
    let described = move || {
        let e = message.with(Option::is_some).then_some(error_id2.as_str());
        describedby(hint_id2.as_deref(), e)
    };
    let rendered = options_for(&options, label_of);
    let opts = options.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        value.set(v.parse::<usize>().ok().and_then(|i| opts.get(i).copied()));
    };
    let selected = move || {
        value
            .get()
            .and_then(|v| options.iter().position(|o| *o == v))
            .map(|i| i.to_string())
            .unwrap_or_default()
    };
    view! {
        <div class="field" class:field-invalid=move || message.with(Option::is_some)>
            <label for=id.clone()>{label}{required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <select id=id.clone() name=name data-test-id=format!("field-{name}") required=required
                aria-describedby=described prop:value=selected on:change=on_change>
                {placeholder.then_some(view! { <option value="">"Choose…"</option> })}
                {rendered}
            </select>
            {move || message.get().map(|m| view! {
                <p class="field-error" id=error_id.clone() data-test-id="field-error">{m}</p>
            })}
        </div>
    }
}

fn options_for<T: Copy + 'static>(options: &[T], label_of: fn(T) -> &'static str) -> impl IntoView {
    options
        .iter()
        .enumerate()
        .map(|(i, o)| view! { <option value=i.to_string()>{label_of(*o)}</option> })
        .collect_view()
}

/// The error of a form's last submission, unless a `Field` of the form shows it (`fields`: the
/// names the form's fields answer for).
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<ApiError>>,
    #[prop(optional)] fields: &'static [&'static str],
    #[prop(optional, into)] describe: Option<Callback<shared::Reason, String>>,
) -> impl IntoView {
    let describe = describe
        .unwrap_or_else(|| Callback::new(|r: shared::Reason| crate::api::describe_plain(&r)));
    move || {
        error.get().map(|e| match &e {
            ApiError::Failed(body)
                if body.field.as_deref().is_some_and(|f| fields.contains(&f)) =>
            {
                view! { <p class="error" role="alert">"Check the marked field."</p> }.into_any()
            }
            _ => view! { <super::ErrorView error=e describe=describe /> }.into_any(),
        })
    }
}
