"""
The demo data that `manage.py load_demo` loads.

The first article is the seed the project started from. Its publisher and date were not
recorded: like every article it is shown with a publisher and a link to the original, so
it is credited to an illustrative tabloid on a reserved example domain, dated late July
2025 as its text implies, and its summary says so. The other articles are written for
the demo, say so in their first line, and come from fictional sources on reserved
example domains. One article and one claim are drafts, marked with the word
"Zanzibarite" so tests can check that readers never see them.

Article bodies are text files in settings.DEMO_DATA_DIR named after the article's slug.
Every evidence quote is a contiguous span of its article's body. Rows refer to each
other by slug; countries by their alpha-2 code.
"""

from datetime import UTC, date, datetime

ILLUSTRATIVE = "Illustrative article written for the newsclaims demo; not real reporting."

SOURCES = [
    {
        "slug": "daily-bulletin",
        "name": "Daily Bulletin (illustrative)",
        "domain": "dailybulletin.example",
    },
    {"slug": "demo-wire", "name": "Demo Wire (illustrative)", "domain": "example.org"},
    {"slug": "example-gazette", "name": "Example Gazette (illustrative)", "domain": "example.com"},
]

# State actors come from the countries migration; the demo only adds aliases.
STATE_ACTORS = [
    {
        "slug": "serbia",
        "aliases": ["Србија", "Srbija", "Republic of Serbia"],
        "wikidata_id": "Q403",
    },
    {
        "slug": "china",
        "aliases": ["PRC", "People's Republic of China", "中国"],
        "wikidata_id": "Q148",
    },
]

ACTORS = [
    {
        "slug": "peoples-liberation-army",
        "name": "People's Liberation Army",
        "kind": "armed_forces",
        "country": "CN",
        "aliases": ["PLA", "Chinese People's Liberation Army", "中国人民解放军"],
    },
    {
        "slug": "serbian-armed-forces",
        "name": "Serbian Armed Forces",
        "kind": "armed_forces",
        "country": "RS",
        "aliases": ["Vojska Srbije", "Војска Србије"],
    },
    {
        "slug": "ministry-of-defence-of-serbia",
        "name": "Ministry of Defence of Serbia",
        "kind": "government",
        "country": "RS",
        "aliases": ["Serbian Defence Ministry", "Ministarstvo odbrane"],
    },
    {
        "slug": "aleksandar-vucic",
        "name": "Aleksandar Vučić",
        "kind": "person",
        "country": "RS",
        "aliases": ["Aleksandar Vucic", "Vucic", "Александар Вучић"],
        "wikidata_id": "Q57331",
    },
    {
        "slug": "xi-jinping",
        "name": "Xi Jinping",
        "kind": "person",
        "country": "CN",
        "aliases": ["习近平", "Xi"],
        "wikidata_id": "Q15031",
    },
    {
        "slug": "european-union",
        "name": "European Union",
        "kind": "alliance",
        "country": None,
        "aliases": ["EU", "Европска унија"],
        "wikidata_id": "Q458",
    },
    {
        "slug": "japan-self-defense-forces",
        "name": "Japan Self-Defense Forces",
        "kind": "armed_forces",
        "country": "JP",
        "aliases": ["JSDF", "自衛隊"],
    },
    {
        "slug": "armed-forces-of-the-philippines",
        "name": "Armed Forces of the Philippines",
        "kind": "armed_forces",
        "country": "PH",
        "aliases": ["AFP", "Sandatahang Lakas ng Pilipinas"],
    },
    {
        "slug": "ecowas",
        "name": "Economic Community of West African States",
        "kind": "alliance",
        "country": None,
        "aliases": ["ECOWAS", "CEDEAO"],
    },
    {
        "slug": "national-electoral-council-of-venezuela",
        "name": "National Electoral Council of Venezuela",
        "kind": "government",
        "country": "VE",
        "aliases": ["CNE", "Consejo Nacional Electoral"],
    },
    {
        "slug": "unitary-platform",
        "name": "Unitary Platform",
        "kind": "organisation",
        "country": "VE",
        "aliases": ["Plataforma Unitaria", "Plataforma Unitaria Democrática"],
    },
    # Appears only in the draft claim: its public page must not exist.
    {
        "slug": "draft-only-actor-zanzibarite",
        "name": "Draft-only Actor Zanzibarite",
        "kind": "other",
        "country": None,
        "aliases": [],
    },
]

EVENTS = [
    {
        "slug": "peace-guardian-2025",
        "name": "Peace Guardian 2025",
        "kind": "exercise",
        "start_date": date(2025, 7, 19),
        "end_date": date(2025, 7, 28),
        "place": "Hebei province",
        "host_country": "CN",
        "participants": ["peoples-liberation-army", "serbian-armed-forces"],
        "description": (
            "The first joint exercise of the Chinese and Serbian armies: special forces "
            "training in Hebei province, northern China, centred on the use of drones."
        ),
    },
    {
        "slug": "vucic-xi-meeting-moscow-2025",
        "name": "Vučić–Xi meeting in Moscow, May 2025",
        "kind": "summit",
        "start_date": date(2025, 5, 9),
        "end_date": None,
        "place": "Moscow",
        "host_country": "RU",
        "participants": ["aleksandar-vucic", "xi-jinping"],
        "description": (
            "Serbia's president met China's president in Moscow, where both attended the "
            "commemorations of the end of the Second World War in Europe."
        ),
    },
    {
        "slug": "coral-tide-2025",
        "name": "Coral Tide 2025 (illustrative)",
        "kind": "exercise",
        "start_date": date(2025, 6, 9),
        "end_date": date(2025, 6, 20),
        "place": "Northern Luzon",
        "host_country": "PH",
        "participants": ["japan-self-defense-forces", "armed-forces-of-the-philippines"],
        "description": (
            "An invented Japanese–Philippine exercise for the demo: coastal defence, "
            "amphibious landings and disaster relief."
        ),
    },
    {
        "slug": "ecowas-sanctions-on-niger",
        "name": "ECOWAS sanctions on Niger",
        "kind": "sanction",
        "start_date": date(2023, 7, 30),
        "end_date": date(2024, 2, 24),
        "place": "",
        "host_country": None,
        "participants": ["ecowas", "niger"],
        "description": (
            "Border closures and a freeze on commercial and financial transactions imposed "
            "by ECOWAS after the July 2023 military takeover in Niger, mostly lifted in "
            "February 2024."
        ),
    },
    {
        "slug": "venezuelan-presidential-election-2024",
        "name": "Venezuelan presidential election, 2024",
        "kind": "election",
        "start_date": date(2024, 7, 28),
        "end_date": None,
        "place": "",
        "host_country": "VE",
        "participants": ["national-electoral-council-of-venezuela", "unitary-platform"],
        "description": "A presidential election whose official result the opposition contests.",
    },
]


def _at(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=UTC)


ARTICLES = [
    {
        "slug": "peace-guardian-2025",
        "title": "China and Serbia hold their first joint military exercise, Peace Guardian 2025",
        "source": "daily-bulletin",
        "url": (
            "https://www.dailybulletin.example/news/world/2025/07/"
            "china-serbia-new-friend-europe-peace-guardian-2025-joint-exercise"
        ),
        "authors": "World Desk",
        "published_at": _at(2025, 7, 30),
        "language": "en",
        "summary": (
            "Chinese and Serbian special forces trained together in Hebei province, with "
            "drones at the centre of the exercise. The original's publisher was not "
            "recorded: the publisher and link shown are illustrative, the date is "
            "approximate (late July 2025), and the headline is ours."
        ),
        "status": "published",
    },
    {
        "slug": "serbian-special-forces-return-from-china",
        "title": "Serbian special forces return from first joint training in China",
        "source": "demo-wire",
        "url": "https://example.org/2025/07/serbian-special-forces-return-from-china",
        "authors": "Demo Desk",
        "published_at": _at(2025, 7, 31, 9),
        "language": "en",
        "summary": "Illustrative: the end of Peace Guardian 2025 and talk of a second exercise.",
        "status": "published",
    },
    {
        "slug": "no-chinese-base-in-serbia",
        "title": "Officials reject online claims of a Chinese military base in Serbia",
        "source": "example-gazette",
        "url": "https://example.com/2025/02/no-chinese-base-in-serbia",
        "authors": "Demo Desk",
        "published_at": _at(2025, 2, 11, 8),
        "language": "en",
        "summary": "Illustrative: a denied rumour, and what Serbia has really bought from China.",
        "status": "published",
    },
    {
        "slug": "coral-tide-2025-begins",
        "title": "Japanese and Philippine forces begin Coral Tide 2025",
        "source": "demo-wire",
        "url": "https://example.org/2025/06/coral-tide-2025-begins",
        "authors": "Demo Desk",
        "published_at": _at(2025, 6, 11, 7),
        "language": "en",
        "summary": "Illustrative: an invented exercise under the Japan–Philippines agreement.",
        "status": "published",
    },
    {
        "slug": "ecowas-lifts-niger-sanctions",
        "title": "ECOWAS lifts most sanctions on Niger",
        "source": "example-gazette",
        "url": "https://example.com/2024/03/ecowas-lifts-niger-sanctions",
        "authors": "Demo Desk",
        "published_at": _at(2024, 3, 1, 10),
        "language": "en",
        "summary": "Illustrative: ECOWAS sanctions on Niger, their lifting, and three exits.",
        "status": "published",
    },
    {
        "slug": "venezuela-election-result-contested",
        "title": "Venezuela's election result contested",
        "source": "demo-wire",
        "url": "https://example.org/2024/08/venezuela-election-result-contested",
        "authors": "Demo Desk",
        "published_at": _at(2024, 8, 2, 15),
        "language": "en",
        "summary": "Illustrative: the official result of the 2024 election and its challengers.",
        "status": "published",
    },
    {
        "slug": "serbia-eu-report-foreign-policy",
        "title": "EU report: Serbia's accession talks slowed by foreign policy",
        "source": "example-gazette",
        "url": "https://example.com/2024/10/serbia-eu-report-foreign-policy",
        "authors": "Demo Desk",
        "published_at": _at(2024, 10, 31, 11),
        "language": "en",
        "summary": "Illustrative: the European Commission's 2024 view of Serbia's candidacy.",
        "status": "published",
    },
    # Never published: leak tests search every public page for "Zanzibarite".
    {
        "slug": "zanzibarite-draft",
        "title": "Zanzibarite drones at Peace Guardian 2025 (draft, never published)",
        "source": "demo-wire",
        "url": "https://example.org/drafts/zanzibarite",
        "authors": "Demo Desk",
        "published_at": _at(2025, 8, 1),
        "language": "en",
        "summary": "Draft only: a Zanzibarite test article that readers must never see.",
        "status": "draft",
    },
]

SEED = "peace-guardian-2025"

CLAIMS = [
    # --- From the seed article -------------------------------------------------------
    {
        "slug": "china-and-serbia-hold-first-joint-military-exercise",
        "statement": (
            "China and Serbia held their first joint military exercise, Peace Guardian 2025, "
            "in Hebei province."
        ),
        "kind": "military",
        "occurred_on": date(2025, 7, 1),
        "date_precision": "month",
        "place": "Hebei province",
        "country": "CN",
        "event": "peace-guardian-2025",
        "verification": "corroborated",
        "actors": [
            ("china", "host"),
            ("serbia", "participant"),
            ("peoples-liberation-army", "participant"),
            ("serbian-armed-forces", "participant"),
        ],
        "evidence": [
            (
                SEED,
                "reports",
                "“The training in China was the first joint training of the armies of the two "
                "countries,” the country’s Defense Ministry said in a statement.",
            ),
            (
                "serbian-special-forces-return-from-china",
                "asserts",
                "Peace Guardian 2025, the first joint exercise of the Serbian and Chinese "
                "armies, held in Hebei province in northern China",
            ),
            # Draft evidence on a published claim: the claim's page must not show it.
            (
                "zanzibarite-draft",
                "asserts",
                "Zanzibarite observers confirmed that Peace Guardian 2025 was the first joint "
                "exercise of the two armies",
            ),
        ],
    },
    {
        "slug": "chinese-official-announces-exercise-with-serbia",
        "statement": (
            "A senior Chinese official announced the exercise with Serbia, saying it would "
            "strengthen combat capabilities and deepen cooperation between the two militaries."
        ),
        "kind": "military",
        "occurred_on": date(2025, 7, 1),
        "date_precision": "month",
        "event": "peace-guardian-2025",
        "actors": [("china", "speaker"), ("serbia", "subject")],
        "evidence": [
            (
                SEED,
                "reports",
                "A senior Chinese official announced the collaboration earlier this month, "
                "saying how it aims to “strengthen combat capabilities” and “deepen cooperation "
                "between the two militaries”",
            ),
        ],
    },
    {
        "slug": "peace-guardian-2025-focused-on-drones",
        "statement": (
            "The Peace Guardian 2025 exercise focused on the use of drones in special-forces tasks."
        ),
        "kind": "military",
        "occurred_on": date(2025, 7, 1),
        "date_precision": "month",
        "place": "Hebei province",
        "country": "CN",
        "event": "peace-guardian-2025",
        "verification": "corroborated",
        "actors": [
            ("peoples-liberation-army", "participant"),
            ("serbian-armed-forces", "participant"),
        ],
        "evidence": [
            (
                SEED,
                "asserts",
                "the focus of the exercise was the use of drones in the execution of special "
                "forces tasks.",
            ),
            (
                "serbian-special-forces-return-from-china",
                "reports",
                "the ministry said the centrepiece was the use of drones by special forces teams",
            ),
        ],
    },
    {
        "slug": "serbian-defence-ministry-praises-chinese-forces",
        "statement": (
            "Serbia's defence ministry praised the Chinese forces at Peace Guardian 2025 for "
            "their organisation and professionalism."
        ),
        "kind": "military",
        "occurred_on": date(2025, 7, 1),
        "date_precision": "month",
        "event": "peace-guardian-2025",
        "actors": [
            ("ministry-of-defence-of-serbia", "speaker"),
            ("peoples-liberation-army", "subject"),
        ],
        "evidence": [
            (
                SEED,
                "reports",
                "Belgrade wassaid to be “impressed” by its Chinese counterparts, confirming in a "
                "statement how they “showed an exceptional level of organisation and "
                "professionalism.”",
            ),
        ],
    },
    {
        "slug": "serbia-acquired-chinese-drones-and-air-defence",
        "statement": "Serbia has acquired Chinese drones and surface-to-air missile systems.",
        "kind": "arms",
        "verification": "corroborated",
        "actors": [("china", "supplier"), ("serbia", "buyer")],
        "evidence": [
            (
                SEED,
                "asserts",
                "They have already acquired various Chinese weapons, including drones and "
                "surface-to-air missile systems.",
            ),
            (
                "no-chinese-base-in-serbia",
                "asserts",
                "Serbia has acquired Chinese-made armed drones and the FK-3 surface-to-air "
                "missile system",
            ),
            (
                "serbian-special-forces-return-from-china",
                "asserts",
                "Serbia has bought Chinese drones and an air-defence system in recent years",
            ),
        ],
    },
    {
        "slug": "serbia-follows-military-neutrality",
        "statement": (
            "Serbia follows a policy of military neutrality, staying out of collective defence "
            "organisations while cooperating with individual partners."
        ),
        "kind": "policy",
        "verification": "corroborated",
        "actors": [("serbia", "subject")],
        "evidence": [
            (
                SEED,
                "asserts",
                "Serbia adopts a policy of military neutrality, typically refraining from "
                "joining collective defence organisations, instead focusing on the development "
                "of cooperation with individual partners.",
            ),
            (
                "no-chinese-base-in-serbia",
                "reports",
                "the country's policy of military neutrality rules out foreign bases",
            ),
        ],
    },
    {
        "slug": "vucic-calls-china-most-precious-friend",
        "statement": (
            "President Aleksandar Vučić called Beijing Serbia's “most precious friend” when "
            "he met Xi Jinping in Moscow."
        ),
        "kind": "diplomatic",
        "occurred_on": date(2025, 5, 1),
        "date_precision": "month",
        "place": "Moscow",
        "country": "RU",
        "event": "vucic-xi-meeting-moscow-2025",
        "actors": [
            ("aleksandar-vucic", "speaker"),
            ("xi-jinping", "participant"),
            ("china", "subject"),
        ],
        "evidence": [
            (
                SEED,
                "reports",
                "President Aleksandar Vučić, describing Bejing as his country’s “most precious "
                "friend” during a meeting with President Xi Jinping in Moscow back in May.",
            ),
        ],
    },
    {
        "slug": "serbia-china-ties-cause-unease-in-eu",
        "statement": "Serbia's deepening ties with China are causing unease in the European Union.",
        "kind": "diplomatic",
        "actors": [("european-union", "observer"), ("serbia", "subject"), ("china", "subject")],
        "evidence": [
            (
                SEED,
                "reports",
                "the deepening ties between both countries is sparking unease in the European "
                "Union",
            ),
        ],
    },
    {
        "slug": "serbia-eu-candidate-since-2012",
        "statement": (
            "Serbia has been a candidate for European Union membership since 2012 and has been "
            "negotiating to join since 2014."
        ),
        "kind": "diplomatic",
        "occurred_on": date(2012, 1, 1),
        "date_precision": "year",
        "verification": "corroborated",
        "actors": [("serbia", "subject"), ("european-union", "participant")],
        "evidence": [
            (
                SEED,
                "asserts",
                "negotiations have been ongoing since 2014 after it became a candidate country "
                "in 2012",
            ),
            (
                "serbia-eu-report-foreign-policy",
                "asserts",
                "Serbia has been a candidate for membership of the European Union since 2012 and "
                "has been negotiating to join since 2014",
            ),
        ],
    },
    # --- Illustrative: Serbia and China ----------------------------------------------
    {
        "slug": "peace-guardian-2025-ends-after-ten-days",
        "statement": "Peace Guardian 2025 ended on 28 July 2025 after ten days of training.",
        "kind": "military",
        "occurred_on": date(2025, 7, 28),
        "date_precision": "day",
        "place": "Hebei province",
        "country": "CN",
        "event": "peace-guardian-2025",
        "actors": [
            ("peoples-liberation-army", "participant"),
            ("serbian-armed-forces", "participant"),
        ],
        "evidence": [
            (
                "serbian-special-forces-return-from-china",
                "reports",
                "The exercise ended on 28 July after ten days of training, the Serbian Ministry "
                "of Defence said.",
            ),
        ],
    },
    {
        "slug": "serbia-and-china-discuss-second-exercise",
        "statement": (
            "Serbia and China are discussing a second joint military exercise, to be hosted "
            "in Serbia."
        ),
        "kind": "military",
        "occurred_on": date(2025, 7, 30),
        "date_precision": "day",
        "actors": [
            ("ministry-of-defence-of-serbia", "speaker"),
            ("serbia", "host"),
            ("china", "participant"),
        ],
        "evidence": [
            (
                "serbian-special-forces-return-from-china",
                "reports",
                "the ministry said the two sides were discussing a second joint exercise, this "
                "time to be hosted in Serbia, though no date has been set",
            ),
        ],
    },
    {
        "slug": "china-building-military-base-in-serbia",
        "statement": "China is building a permanent military base in Serbia.",
        "kind": "military",
        "country": "RS",
        "verification": "refuted",
        "actors": [("china", "subject"), ("serbia", "host")],
        "evidence": [
            (
                "no-chinese-base-in-serbia",
                "denies",
                "Claims spreading on social media that China is building a permanent military "
                "base in Serbia are false",
            ),
        ],
    },
    {
        "slug": "serbian-crews-operate-fk-3-independently",
        "statement": (
            "Serbian air-defence crews completed training to operate and maintain the "
            "Chinese-made FK-3 system on their own."
        ),
        "kind": "arms",
        "occurred_on": date(2025, 1, 1),
        "date_precision": "month",
        "country": "RS",
        "actors": [("serbian-armed-forces", "subject"), ("china", "supplier")],
        "evidence": [
            (
                "no-chinese-base-in-serbia",
                "reports",
                "in January Serbian air-defence crews completed training to operate and maintain "
                "the FK-3 without Chinese help",
            ),
        ],
    },
    # --- Illustrative: Japan and the Philippines ---------------------------------------
    {
        "slug": "japan-and-philippines-begin-coral-tide-2025",
        "statement": (
            "Japanese and Philippine forces began the Coral Tide 2025 exercise in northern Luzon."
        ),
        "kind": "military",
        "occurred_on": date(2025, 6, 9),
        "date_precision": "day",
        "place": "Northern Luzon",
        "country": "PH",
        "event": "coral-tide-2025",
        "actors": [
            ("japan-self-defense-forces", "participant"),
            ("armed-forces-of-the-philippines", "participant"),
            ("philippines", "host"),
        ],
        "evidence": [
            (
                "coral-tide-2025-begins",
                "asserts",
                "Japanese and Philippine troops began Coral Tide 2025 on Monday, a twelve-day "
                "exercise in northern Luzon",
            ),
        ],
    },
    {
        "slug": "japan-philippines-reciprocal-access-agreement",
        "statement": (
            "Japan and the Philippines signed a Reciprocal Access Agreement letting each "
            "country's forces train on the other's territory."
        ),
        "kind": "diplomatic",
        "occurred_on": date(2024, 7, 1),
        "date_precision": "month",
        "place": "Manila",
        "country": "PH",
        "verification": "corroborated",
        "actors": [("japan", "participant"), ("philippines", "participant")],
        "evidence": [
            (
                "coral-tide-2025-begins",
                "asserts",
                "the Reciprocal Access Agreement, which Japan and the Philippines signed in "
                "Manila in July 2024 to let each country's forces train on the other's territory",
            ),
        ],
    },
    {
        "slug": "china-criticises-coral-tide-2025",
        "statement": (
            "China's foreign ministry criticised Coral Tide 2025 as stirring up tension in the "
            "South China Sea."
        ),
        "kind": "diplomatic",
        "occurred_on": date(2025, 6, 10),
        "date_precision": "day",
        "event": "coral-tide-2025",
        "actors": [("china", "critic"), ("japan", "subject"), ("philippines", "subject")],
        "evidence": [
            (
                "coral-tide-2025-begins",
                "reports",
                'China\'s foreign ministry said on Tuesday that the exercise "stirs up tension" '
                "in the South China Sea",
            ),
        ],
    },
    # --- Illustrative: West Africa -----------------------------------------------------
    {
        "slug": "ecowas-sanctions-niger-after-takeover",
        "statement": (
            "ECOWAS closed its borders with Niger and suspended commercial and financial "
            "transactions with it after the July 2023 military takeover."
        ),
        "kind": "economic",
        "occurred_on": date(2023, 7, 30),
        "date_precision": "day",
        "event": "ecowas-sanctions-on-niger",
        "verification": "corroborated",
        "actors": [("ecowas", "participant"), ("niger", "target")],
        "evidence": [
            (
                "ecowas-lifts-niger-sanctions",
                "asserts",
                "The bloc had closed borders and suspended commercial and financial transactions "
                "with Niger on 30 July 2023",
            ),
        ],
    },
    {
        "slug": "ecowas-lifts-most-sanctions-on-niger",
        "statement": "ECOWAS lifted most of its sanctions on Niger at a summit in Abuja.",
        "kind": "economic",
        "occurred_on": date(2024, 2, 24),
        "date_precision": "day",
        "place": "Abuja",
        "country": "NG",
        "event": "ecowas-sanctions-on-niger",
        "actors": [("ecowas", "participant"), ("niger", "target")],
        "evidence": [
            (
                "ecowas-lifts-niger-sanctions",
                "asserts",
                "At an extraordinary summit in Abuja on 24 February, leaders agreed to reopen "
                "borders with Niger and to lift the freeze on its financial transactions",
            ),
        ],
    },
    {
        "slug": "mali-burkina-faso-niger-leave-ecowas",
        "statement": (
            "Mali, Burkina Faso and Niger announced that they were leaving ECOWAS with "
            "immediate effect."
        ),
        "kind": "diplomatic",
        "occurred_on": date(2024, 1, 28),
        "date_precision": "day",
        "verification": "corroborated",
        "actors": [
            ("mali", "participant"),
            ("burkina-faso", "participant"),
            ("niger", "participant"),
            ("ecowas", "subject"),
        ],
        "evidence": [
            (
                "ecowas-lifts-niger-sanctions",
                "asserts",
                "Mali, Burkina Faso and Niger, all led by military governments, announced on "
                "28 January that they were leaving ECOWAS with immediate effect",
            ),
        ],
    },
    # --- Illustrative: Venezuela -------------------------------------------------------
    {
        "slug": "venezuela-electoral-council-declares-incumbent-winner",
        "statement": (
            "Venezuela's National Electoral Council declared the incumbent president the "
            "winner of the 2024 presidential election."
        ),
        "kind": "other",
        "occurred_on": date(2024, 7, 29),
        "date_precision": "day",
        "country": "VE",
        "event": "venezuelan-presidential-election-2024",
        "verification": "corroborated",
        "actors": [
            ("national-electoral-council-of-venezuela", "speaker"),
            ("venezuela", "subject"),
        ],
        "evidence": [
            (
                "venezuela-election-result-contested",
                "asserts",
                "Venezuela's National Electoral Council (CNE) declared the incumbent president "
                "the winner of the 28 July presidential election",
            ),
        ],
    },
    {
        "slug": "incumbent-won-most-votes-in-venezuela-2024",
        "statement": (
            "The incumbent president won the most votes in Venezuela's 2024 presidential election."
        ),
        "kind": "other",
        "occurred_on": date(2024, 7, 28),
        "date_precision": "day",
        "country": "VE",
        "event": "venezuelan-presidential-election-2024",
        "verification": "disputed",
        "actors": [
            ("national-electoral-council-of-venezuela", "speaker"),
            ("unitary-platform", "critic"),
            ("venezuela", "subject"),
        ],
        "evidence": [
            (
                "venezuela-election-result-contested",
                "disputes",
                "The opposition Unitary Platform rejects that result. It says tally sheets "
                "collected by its witnesses at polling stations show its candidate won a clear "
                "majority",
            ),
        ],
    },
    {
        "slug": "united-states-says-opposition-won-venezuela-vote",
        "statement": (
            "The United States said the opposition candidate won the most votes in Venezuela's "
            "2024 presidential election."
        ),
        "kind": "diplomatic",
        "occurred_on": date(2024, 8, 1),
        "date_precision": "day",
        "event": "venezuelan-presidential-election-2024",
        "actors": [("united-states", "speaker"), ("venezuela", "subject")],
        "evidence": [
            (
                "venezuela-election-result-contested",
                "reports",
                "On 1 August the United States said there was overwhelming evidence that the "
                "opposition candidate had won the most votes.",
            ),
        ],
    },
    # --- Illustrative: Serbia and the EU -----------------------------------------------
    {
        "slug": "eu-says-serbia-foreign-policy-alignment-low",
        "statement": (
            "The European Commission said Serbia's alignment with EU foreign policy remained "
            "low, notably because it has not joined sanctions against Russia."
        ),
        "kind": "diplomatic",
        "occurred_on": date(2024, 10, 30),
        "date_precision": "day",
        "actors": [("european-union", "critic"), ("serbia", "subject")],
        "evidence": [
            (
                "serbia-eu-report-foreign-policy",
                "reports",
                "the Commission says Serbia's rate of alignment remains low, in particular "
                "because it has not joined EU sanctions against Russia",
            ),
        ],
    },
    # --- Draft: must never reach readers -----------------------------------------------
    {
        "slug": "zanzibarite-drones-supplied-to-serbian-forces",
        "statement": (
            "Draft-only Actor Zanzibarite supplied Zanzibarite drones to Serbian forces during "
            "Peace Guardian 2025."
        ),
        "kind": "arms",
        "occurred_on": date(2025, 7, 1),
        "date_precision": "month",
        "country": "CN",
        "event": "peace-guardian-2025",
        "status": "draft",
        "actors": [
            ("draft-only-actor-zanzibarite", "supplier"),
            ("serbian-armed-forces", "buyer"),
        ],
        "evidence": [
            (
                "zanzibarite-draft",
                "asserts",
                "Draft-only Actor Zanzibarite supplied Zanzibarite drones to Serbian forces "
                "during the exercise",
            ),
        ],
    },
]
