//! A year in the life of a co-production community, told through the crate.
//!
//! This walkthrough grows with the crate. It starts with the community itself: the staff
//! team, the advisory Allies Group and a project team of co-producers, and the question the
//! community asked of its own advisory group: how many of its members bring lived
//! experience?
//!
//! Run it with `cargo run --example collective`.

use coproduction::community::{
    AccessNeed, AccessNeedKind, Body, BodyId, BodyKind, Community, Member, MemberId, Role,
};

/// The seed community. People are named by what they do; nobody here is a real person.
fn seed_community() -> Result<Community, coproduction::Error> {
    let mut c = Community::new();
    let mut next = 0;
    let mut add = |c: &mut Community, name: String, roles: &[Role], lived: bool| {
        next += 1;
        let mut m = Member::new(MemberId::new(next), name);
        for &r in roles {
            m = m.with_role(r);
        }
        if lived {
            m = m.with_lived_experience();
        }
        c.add_member(m).map(|()| MemberId::new(next))
    };

    // The staff team, trusted with everyday decisions guided by the core values.
    let mut staff = Vec::new();
    for (n, lived) in [(1, true), (2, false), (3, false), (4, true)] {
        staff.push(add(
            &mut c,
            format!("Staff member {n}"),
            &[Role::Staff],
            lived,
        )?);
    }
    // The Allies Group: critical friends from across the university and the wider
    // community; fewer bring lived experience than come in a professional role.
    let mut allies = Vec::new();
    for n in 1..=8 {
        let lived = n <= 3;
        let roles: &[Role] = if lived {
            &[Role::Ally, Role::CommunityMember]
        } else {
            &[Role::Ally]
        };
        allies.push(add(&mut c, format!("Ally {n}"), roles, lived)?);
    }
    // Co-producers with lived experience, working with staff on the associate-roles project.
    let mut coproducers = Vec::new();
    for n in 1..=2 {
        coproducers.push(add(
            &mut c,
            format!("Co-producer {n}"),
            &[Role::CoProducer, Role::CommunityMember],
            true,
        )?);
    }
    // Community members who take part in co-creation sessions.
    let mut members = Vec::new();
    for n in 1..=10u32 {
        members.push(add(
            &mut c,
            format!("Community member {n}"),
            &[Role::CommunityMember],
            n.is_multiple_of(2),
        )?);
    }
    // One member asks for captions and papers in advance.
    let with_needs = MemberId::new(next + 1);
    c.add_member(
        Member::new(with_needs, "Community member 11")
            .with_role(Role::CommunityMember)
            .with_lived_experience()
            .with_access_need(AccessNeed::new(AccessNeedKind::Captions))
            .with_access_need(AccessNeed::new(AccessNeedKind::PapersInAdvance)),
    )?;
    members.push(with_needs);

    let everyone: Vec<MemberId> = c.members().map(|m| m.id).collect();
    c.add_body(
        Body::new(
            BodyId::new("staff_team")?,
            "Staff team",
            BodyKind::StaffTeam,
        )
        .with_members(staff.clone()),
    )?;
    c.add_body(
        Body::new(
            BodyId::new("allies_group")?,
            "Allies Group",
            BodyKind::AlliesGroup,
        )
        .with_members(allies),
    )?;
    c.add_body(
        Body::new(
            BodyId::new("associate_roles_team")?,
            "Associate roles co-production team",
            BodyKind::ProjectTeam,
        )
        .with_members(coproducers.into_iter().chain(staff.into_iter().take(1))),
    )?;
    c.add_body(
        Body::new(
            BodyId::new("whole_community")?,
            "Whole community",
            BodyKind::WholeCommunity,
        )
        .with_members(everyone),
    )?;
    Ok(c)
}

fn main() -> Result<(), coproduction::Error> {
    let community = seed_community()?;

    println!("== The community ==");
    println!(
        "{} members, {} bodies\n",
        community.members().len(),
        community.bodies().len()
    );
    for body in community.bodies() {
        let figures = community.figures(&body.id)?;
        let roles: Vec<String> = figures
            .roles
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(role, n)| format!("{n} {role}"))
            .collect();
        println!("{} ({})", body.name, body.kind.label());
        println!("  members: {}", figures.size);
        println!(
            "  with lived experience: {}",
            figures.lived_experience_share()
        );
        println!("  roles: {}", roles.join(", "));
        if !figures.lived_experience_share().at_least(1, 2) {
            println!("  note: fewer than half of this body's members bring lived experience");
        }
        println!();
    }

    let needs: Vec<String> = community
        .members()
        .filter(|m| !m.access_needs.is_empty())
        .map(|m| format!("{} ({} needs)", m.name, m.access_needs.len()))
        .collect();
    println!(
        "Members with access needs to meet before a session: {}",
        needs.join(", ")
    );
    Ok(())
}
