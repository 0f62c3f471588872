//! Settings that write one registry value (D024, D037).

use super::*;

/// D024: two settings writing one registry value (class, key and name compared case-insensitively).
pub(super) fn check_collisions(
    cx: &mut Cx,
    policies: &[Policy],
    registry_only: &[RegistrySetting],
) {
    let hive = |c: Class| match c {
        Class::Both => 2,
        Class::User => 0,
        Class::Machine => 1,
    };
    let mut seen: HashMap<(u8, String, String), (String, Span)> = HashMap::new();
    let mut visit = |cx: &mut Cx,
                     class: Class,
                     key: &RegistryKey,
                     name: &ValueName,
                     owner: &str,
                     span: &Span| {
        let k = (
            hive(class),
            key.as_str().to_lowercase(),
            name.as_str().to_lowercase(),
        );
        if let Some((first_owner, first)) = seen.get(&k) {
            // Within one policy the element's value replaces the policy's own (Microsoft's
            // templates do this); across settings the two fight.
            let code = if first_owner == owner {
                Code::D037
            } else {
                Code::D024
            };
            cx.diags.push(
                Diagnostic::new(
                    code,
                    format!("`{owner}` writes `{name}`, which `{first_owner}` already writes"),
                )
                .at(span.clone(), "second writer")
                .also(first.clone(), "first writer"),
            );
        } else {
            seen.insert(k, (owner.to_string(), span.clone()));
        }
    };
    for p in policies {
        if let Some(v) = &p.value_name {
            visit(cx, p.class, &p.key, v, p.id.as_str(), &p.span);
        }
        for e in &p.elements {
            if let Some(v) = &e.value_name {
                visit(
                    cx,
                    p.class,
                    e.key.as_ref().unwrap_or(&p.key),
                    v,
                    p.id.as_str(),
                    &p.span,
                );
            }
        }
    }
    for r in registry_only {
        visit(cx, r.class, &r.key, &r.value_name, r.id.as_str(), &r.span);
    }
}
