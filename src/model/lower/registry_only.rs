//! Registry-only settings: values no ADMX element can carry, delivered by the registry
//! outputs.

use super::*;

pub(super) fn lower_registry_only(
    cx: &mut Cx,
    env: &Env,
    r: &S<ast::RegistryOnlySrc>,
) -> Option<RegistrySetting> {
    let r = r.get_ref();
    let span = cx.sp(&r.id);
    let idstr = r.id.get_ref().as_str();
    let id = cx.name::<PolicyId>(&r.id, "setting id");
    let class = class_or_default(cx, env, &r.class, &span);
    if class == Some(Class::Both) {
        let cspan = r.class.as_ref().map(|c| cx.sp(c)).unwrap_or(span.clone());
        cx.err(
            Code::D022,
            "a registry-only setting writes one hive: `User` or `Machine`",
            cspan,
            "not `Both`",
        );
    }
    let key = key_or_default(cx, env, &r.key, &span);
    let value_name = cx.value_name(&r.value_name);
    let reg_type = RegType::parse(r.reg_type.get_ref());
    if reg_type.is_none() {
        cx.err_on(
            Code::D022,
            format!("unknown registry type `{}`", r.reg_type.get_ref()),
            &r.reg_type,
            "expected string, expand_string, binary, dword, multi_string or qword",
        );
    }
    let what = format!("setting `{idstr}`");
    let display = cx.display(&r.display_name, None, span.clone(), &what, &[idstr]);
    let explain = cx.explain(&r.explain, None, span.clone(), &what, &[idstr, "Explain"]);
    Some(RegistrySetting {
        id: id?,
        class: class?,
        key: key?,
        value_name: value_name?,
        reg_type: reg_type?,
        display: display?,
        explain: explain?,
        stig: stig(cx, &r.stig),
        source: r.source.as_ref().map(|s| s.get_ref().clone()),
        span,
    })
}
