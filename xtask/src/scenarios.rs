//! The built-in scenarios: the baseline's description, and the event scenarios made from
//! it by switching measures of `policies.ron` on.

use rareflow::model::{Metadata, Scenario};

use crate::BASE_YEAR;

/// The baseline's name, description and horizon.
pub fn baseline_metadata(last_year: i32) -> Metadata {
    Metadata {
        name: "Baseline 2024".to_owned(),
        description: "The rare-earth supply chain as it stood in 2024 (USGS MCS 2025/2026, \
                      company reports, IEA, Argus, SMM), with announced projects at their \
                      announced start years and every expressible 2023–2026 trade measure \
                      present but switched off. Switch measures on to ask what-if questions; \
                      the event scenarios in scenarios/ do so for 2025–2026 events. Not \
                      modelled: the metal stage (oxide goes to magnet plants directly), \
                      technology export bans, price floors, finance."
            .to_owned(),
        base_year: BASE_YEAR,
        first_year: BASE_YEAR,
        last_year,
        reference_note: "This is the reference scenario: price pressure elsewhere is measured \
                         against it."
            .to_owned(),
    }
}

/// A scenario file made from the baseline by switching measures on.
pub struct EventScenario {
    pub file_name: &'static str,
    pub scenario: Scenario,
}

/// What one event scenario asks, and the policies it switches on.
struct Question {
    file_name: &'static str,
    name: &'static str,
    description: &'static str,
    switched_on: &'static [&'static str],
}

const CHINA_LICENSING: &[&str] = &["cn-licence-dytb", "cn-licence-y", "cn-licence-magnets"];

const IN_FORCE_2026: &[&str] = &[
    "my-raw-ore-ban",
    "mmr-kachin-disruption",
    "cn-licence-dytb",
    "cn-licence-y",
    "cn-licence-magnets",
    "us-concentrate-halt-china",
    "in-exports-japan-halt",
    "cn-total-quantity-control",
    "vn-raw-ore-ban",
    "cn-japan-dual-use",
    "us-magnet-tariff-2026",
];

const WESTERN_BUILDOUT: &[&str] = &[
    "cn-licence-dytb",
    "cn-licence-y",
    "cn-licence-magnets",
    "us-concentrate-halt-china",
    "us-magnet-tariff-2026",
];

const QUESTIONS: &[Question] = &[
    Question {
        file_name: "china-heavy-ree-licensing-2025.ron",
        name: "China licenses heavy rare-earth exports (April 2025)",
        description: "China requires licences for exports of Sm, Gd, Tb, Dy, Lu, Sc and Y and \
                      of magnets containing them (MOFCOM No.18, 2025-04-04). Who runs short of \
                      yttrium and Dy/Tb, inside and outside China, and how hard are prices \
                      pushed?",
        switched_on: CHINA_LICENSING,
    },
    Question {
        file_name: "vietnam-raw-ore-ban-2026.ron",
        name: "Vietnam bans raw-ore exports (2026)",
        description: "Vietnam's amended minerals law bans raw rare-earth ore exports from \
                      2026-01-01. Who loses concentrate feed?",
        switched_on: &["vn-raw-ore-ban"],
    },
    Question {
        file_name: "india-japan-halt-2025.ron",
        name: "India halts rare-earth exports to Japan (2025)",
        description: "India asks IREL to suspend its export deal with Toyotsu (June 2025). How \
                      much does Japan lose, and how much of its \"Indian\" supply started in \
                      Chinese mines?",
        switched_on: &["in-exports-japan-halt"],
    },
    Question {
        file_name: "western-buildout-2028.ron",
        name: "Western build-out under Chinese licensing (to 2035)",
        description: "China's licensing of heavy rare earths and magnets stays; MP keeps its \
                      concentrate at home and the US tariffs Chinese magnets. Western projects \
                      come on stream at their announced years (Lynas Malaysia HRE 2026, Eneabba \
                      2027, Vulcan 2027, MP 10X and Nolans 2028, USA Rare Earth to 4,800 t/yr \
                      2028, Serra Verde phase 2 2029, White Mesa phase 2 2029, Lofdal 2030). \
                      When does the gap close? Round Top has no published capacity: its node \
                      stays at 0 t/yr until you set one.",
        switched_on: WESTERN_BUILDOUT,
    },
    Question {
        file_name: "in-force-2026.ron",
        name: "Every measure in force in 2026",
        description: "Every trade measure and disruption in force in 2026: China's licensing \
                      and its ban towards Japan, total-quantity control, the Malaysian and \
                      Vietnamese raw-ore bans, MP's halt of concentrate to China, India's halt \
                      to Japan, Myanmar's lower output and the US tariff on Chinese magnets.",
        switched_on: IN_FORCE_2026,
    },
];

/// The ready-made event scenarios: the baseline with the measures of one question on.
/// Fails if a question names a policy that `policies.ron` does not have.
pub fn event_scenarios(baseline: &Scenario) -> Result<Vec<EventScenario>, String> {
    QUESTIONS
        .iter()
        .map(|question| {
            if let Some(missing) = question
                .switched_on
                .iter()
                .find(|id| baseline.policy(id).is_none())
            {
                return Err(format!(
                    "{} switches on policy \"{missing}\", which policies.ron does not have",
                    question.file_name
                ));
            }
            let mut scenario = baseline.clone();
            scenario.meta.name = question.name.to_owned();
            scenario.meta.description = question.description.to_owned();
            scenario.meta.reference_note =
                "Compare with the built-in baseline (scenarios/baseline-2024.ron).".to_owned();
            for policy in &mut scenario.policies {
                policy.enabled = question.switched_on.contains(&policy.id.as_str());
            }
            Ok(EventScenario {
                file_name: question.file_name,
                scenario,
            })
        })
        .collect()
}
