"""The paper's records as Python literals, copied verbatim from Luan et al.

Texts are the paper's own words, spelling and capitalisation included ("be processed with
strong planning ability", "express sell", "predication"): a reader must be able to find every
statement in the paper. Only list numbering and the trailing ";" / "." separators are stripped.
What the paper does not say (an ability's area, a course's module, code or stage) is an editorial
choice, and each record's `source_ref` says so.
"""

import uuid

# Fixed, so every install (and every CASE consumer) agrees on the framework's identity.
FRAMEWORK_IDENTIFIER = uuid.UUID("7e9209f2-0fac-41c6-9bfb-41438f591a78")

# The paper's authors: the creator its framework's CASE document names (curricula.case).
AUTHORS = "Lanlan Luan, Yiqun Li, Jiawen Shen, Xinyi Fu, Wei Shi, Jingyi Liu"

# The framework's source; stored, so a loaded database holds exactly this text.
CITATION = (
    f"{AUTHORS}. Research on Cross-border "
    "E-commerce Professional Capabilities and Training Modes of Talents. Shanghai University of "
    "International Business and Economics, Shanghai, China."
)

# What the framework's CASE document says of itself (its `notes`): CASE names one creator and one
# publisher, and the document this site serves is more than the authors wrote. English, as the
# document is; fixed, so a package handed back in place is not news.
CASE_NOTES = (
    "The statements are the paper's (Table II, in its words) and its authors are the creator. "
    "This site publishes the document: each statement's ability area (its CFItemType), its code "
    "(humanCodingScheme) and its Chinese text are this site's editorial reading, not the "
    "paper's, which assigns no statement to an area of Section III. Links from courses to "
    "these abilities (the course catalogue) are this site's too."
)

FRAMEWORK = {
    "name": "Cross-border e-commerce professional abilities",
    "source": CITATION,
    "version": "1.0",
    "language": "en",
    "description": (
        "The professional abilities the paper sets out for cross-border e-commerce talents: five "
        "ability areas (Section III A-E) and the requirement statements of the thirteen positions "
        "of Table II."
    ),
    "source_ref": "Section III A-E; Table II",
}

# Section III A-E: (code, name as the section heads it, description = its paragraph verbatim).
# The headings end in "ability", which also tells an area from the Table I track of the same words.
AREAS = [
    (
        "RD",
        "Research and development ability",
        "As an elementary e-commerce talent, one should be proficient in e-commerce technology and "
        "have a good master of the latest development of e-commerce technology as well as possess "
        "certain modern business knowledge. He should also be able to design e-commerce systems "
        "with the usage of the most effective technical means to implement and satisfy the "
        "different characteristics and demands of business model of cross-border import and export "
        "platforms.",
        "Section III A",
    ),
    (
        "MK",
        "Marketing ability",
        "Talents should be familiar with the cultural, economic and legal systems of overseas "
        "countries and regions, have a good knowledge of cross-border communication, be able to "
        "utilize a variety of network promotion methods to increase website page view and "
        "dissemination effect, and use platforms to sell product, develop customers and expand "
        "cross-border business markets.",
        "Section III B",
    ),
    (
        "MO",
        "Management and operation ability",
        "Talents should be familiar with the operation rules of major international and domestic "
        "cross-border e-commerce platforms, have a good command of the basic business flow of "
        "international trade, be able to allocate manpower and product resources rationally, "
        "coordinate cross-border supply chains and to operate MIS and ERP software skillfully. "
        "They should also handle order transactions, financial payments, commodity transportation, "
        "customer complaints, after-sales services quickly and timely, and construct and manage "
        "the "
        "cross-border e-commerce operation team.",
        "Section III C",
    ),
    (
        "DA",
        "Data analysis ability",
        "Talents should have solid business data statistics and mining capabilities to analyze, "
        "compare, connect and integrate data through a full range of market, product and consumer "
        "data survey or collection and collation of various data resources based on relevant "
        "theories for exploratory and validation analysis. Talents should also be able to solve "
        "various problems in cross-border e-commerce management and operation and to support the "
        "cross-border e-commerce operation and management mode driven by establishment of big "
        "data.",
        "Section III D",
    ),
    (
        "BN",
        "Business negotiation ability",
        # The paragraph runs over a page break after "conduct trade"; it is one sentence.
        "Business negotiation-oriented cross-border e-commerce talents are high-level talents with "
        "broad knowledge and solid intercultural knowledge. They should be able to understand and "
        "respect cultural differences objectively, should be good at resolving intercultural "
        "conflicts. They should have intercultural business operation and management capabilities, "
        "be familiar with WTO laws and regulations and be skilled in mastering international "
        "business. Moreover, the ability to conduct trade negotiations, avoid trade risks, open up "
        "international markets and resolve trade disputes is also important.",
        "Section III E",
    ),
]

# Table I's types. Aliases are the names Table III ("career direction") and Section III F use for
# the same type; aliases are unique case-insensitively, so each distinct wording is stored once.
TRACKS = [
    {
        "name": "Research and development",
        "slug": "research-and-development",
        "source_ref": "Table I, row 1",
        "aliases": [
            ("Technological development", "Table III, career direction"),
            ("technology development", "Section III F"),
        ],
    },
    {
        "name": "Operation and promotion",
        "slug": "operation-and-promotion",
        "source_ref": "Table I, row 2",
        "aliases": [],
    },
    {
        "name": "Data analysis",
        "slug": "data-analysis",
        "source_ref": "Table I, row 3",
        # Section III F's "mathematical analysis" is the same text case-insensitively.
        "aliases": [("Mathematical analysis", "Table III, career direction; Section III F")],
    },
]

# Table II: (number, name, [(statement, area code)]). The area is editorial: Table II gives none.
POSITIONS = [
    (
        1,
        "Web editor and artist",
        [
            ("have excellent web interface design and color matching ability", "RD"),
            (
                "be proficient in related design software, such as Photoshop, Flash, Fireworks and "
                "Dreamweaver",
                "RD",
            ),
            ("be able to communicate with the front desk architect", "RD"),
        ],
    ),
    (
        2,
        "PC and mobile web page designer, website developer and maintainer",
        [
            ("be familiar with XHTML+CSS, XML, JavaScript and other knowledge", "RD"),
            (
                "be familiar with web page standard H5, browser compatibility, SEO (search engine "
                "optimization)",
                "RD",
            ),
            ("be familiar with Android and IOS software development", "RD"),
            (
                "design the website structure according to the requirement of customer, carry on "
                "the project feasibility analysis and the plan compilation, formulate the project "
                "implementation plan",
                "RD",
            ),
        ],
    ),
    (
        3,
        "Website promotion and planner",
        [
            (
                "be familiar with internet marketing and promotion, be familiar with the use of "
                "network tools",
                "MK",
            ),
            (
                "be proficient in marketing planning, publicity and promotion of company products, "
                "be processed with strong planning ability",
                "MK",
            ),
            (
                "have sales experience and image processing capabilities of cross border platforms "
                "such as express sell, Amazon and Dunhuang net",
                "MK",
            ),
            ("have strong communication and presentation skills in foreign languages", "MK"),
            ("have strong business coordination and public relations skills", "BN"),
        ],
    ),
    (
        4,
        "Online marketing specialist",
        [
            ("be familiar with information release and dissemination process", "MK"),
            (
                "understand Internet marketing rules, be familiar with local culture and marketing "
                "activities",
                "MK",
            ),
            ("have online shop sales experience and certain image processing ability", "MK"),
            ("have a good command of oral communication and writing skills", "MK"),
        ],
    ),
    (
        5,
        "Market researcher",
        [
            ("be proficient in all kinds of office software and information system software", "MO"),
            ("have data analysis ability", "DA"),
            (
                "have a strong communication and teamwork spirit, business development ability and "
                "strong sense of responsibility",
                "MK",
            ),
            (
                "collect the required business information combined with network and field visits",
                "DA",
            ),
        ],
    ),
    (
        6,
        "Senior sales consultant",
        [
            ("be able to develop, establish and manage customer resources", "MK"),
            (
                "be able to analyze the demand and market changes of cross-border import and "
                "export "
                "customers, and put forward suggestions for improving the sales strategy and "
                "services of enterprises",
                "MK",
            ),
            (
                "have the ability to build communities and maintain good service and trust "
                "relationship with customers",
                "MK",
            ),
        ],
    ),
    (
        7,
        "Customer service commissioner",
        [
            (
                "be familiar with online shopping, Internet B2C, C2C process, product shelving and "
                "description, online customer communication, sales and store management",
                "MO",
            ),
            (
                "be able to translate product description into local language and communicate with "
                "foreign businessmen",
                "BN",
            ),
            ("understand consumer psychology and shopping experience at home and abroad", "MK"),
        ],
    ),
    (
        8,
        "Data analyst",
        [
            (
                "have solid computer foundation and master at least one development language such "
                "as python/R/Java",
                "DA",
            ),
            # Table II prints statements 2-4 without separators; the numbering splits them.
            (
                "master the ability of modeling algorithms such as personalized recommendation, "
                "clustering, association, PageRank and so on",
                "DA",
            ),
            (
                "be familiar with Linux/Unix system and Hadoop/HBase/Hive/Storm distributed "
                "architecture",
                "DA",
            ),
            ("have a good spirit of teamwork and strong communication skills", "MO"),
        ],
    ),
    (
        9,
        "Internet marketing manager",
        [
            ("be familiar with each process of cross-border e-commerce import and export", "MO"),
            (
                "be familiar with customer management, commodity management and display management",
                "MO",
            ),
            (
                "be familiar with the formulation and implementation of various business processes",
                "MO",
            ),
            ("have strong team management skills, strong communication skills and appeal", "MO"),
            ("have the ability of market analysis and judgement", "DA"),
        ],
    ),
    (
        10,
        "Internet operating manager",
        [
            (
                "be familiar with all kinds of open source systems for website development, have "
                "rich experience in website development and management",
                "RD",
            ),
            (
                "skillfully use database and business intelligence tools to tune and enhance the "
                "PV "
                "value of network background system and user interaction UI",
                "DA",
            ),
            (
                "be good at data analysis, logical thinking, have the ability of analyzing and "
                "solving problems clearly",
                "DA",
            ),
        ],
    ),
    (
        11,
        "Operating manager",
        [
            (
                "be excellent at e-commerce/e-marketing project planning and operation, be "
                "familiar "
                "with the network culture and characteristics at home and abroad, have a wealth of "
                "network marketing promotion experience",
                "MO",
            ),
            (
                "be able to plan, implement, control and execute the whole process of "
                "multinational "
                "supply chain",
                "MO",
            ),
            (
                "have excellent foreign language and Chinese copy-writing skills, be able to write "
                "various programs and copywriters",
                "MK",
            ),
        ],
    ),
    (
        12,
        "Risk control specialist",
        [
            (
                "have a strong industry analytical ability, have sensitivity to national policies "
                "and international politics",
                "BN",
            ),
            (
                "understand the potential risk factors of cross-border e-commerce, be able to "
                "analyze various types of business risks in overseas countries dynamically and "
                "make "
                "classifications for risks",
                "BN",
            ),
            (
                "be able to conduct risk identification and predication with the combination of "
                "various kinds of data and tools, be able to put forward timely plans to prevent "
                "the spread of risk",
                "DA",
            ),
        ],
    ),
    (
        13,
        "Business negotiation representative",
        [
            (
                "be familiar with the trade system and rules of overseas countries, conduct "
                "business negotiations with overseas businessmen on behalf of enterprises, and "
                "expand overseas markets",
                "BN",
            ),
            (
                "follow the laws of overseas markets to carry out the strategic planning of "
                "enterprise internationalization, and provide plans of joint venture, holding and "
                "merging",
                "BN",
            ),
            (
                "provide suggestions for enterprises to help them win strategic benefits through "
                "collaboration and integration of suppliers, distributors and brands at home and "
                "abroad",
                "BN",
            ),
        ],
    ),
]

# Their description says where they come from in words the suggestion engine's level reader
# takes for no doing: Table I's track ("Research and development"), degree ("Master") and title
# ("... architect") read as Bloom verbs, and are the positions' placements anyway.
TABLE_I_ONLY = (
    "In Table I only: Table II gives no ability profile for this position, so it has no "
    "requirements yet (its track and degree are its placements)."
)
# Positions Table I lists but Table II does not profile: kept, with no requirements defined.
TABLE_I_ONLY_POSITIONS = [
    (
        14,
        "E-commerce system architect",
        "Table I, Research and development, Master; Table II gives no profile",
        TABLE_I_ONLY,
    ),
    (
        15,
        "Data modeler",
        "Table I, Data analysis, Master; Table II gives no profile",
        TABLE_I_ONLY,
    ),
]

# Table I, the crosswalk: (track, degree level, [(title as Table I prints it, Table II position)]).
# Table I prints each type's titles in one cell, "Bachelor: ... Master: ...", separated by commas:
# the R&D bachelor cell is read as two titles (Section III F counts 13 positions in Table I).
# Which Table II profile a Table I title is, the paper never says: that is our reading, by the
# words the two share and the profile's statements. Most are plain ("internet marketing
# specialist" is the "Online marketing specialist"); four are less so: "developer and designer
# of website" is the "Web editor and artist" (web interface design, Photoshop), "website needs and
# planner" (under Research and development) the "Website promotion and planner", whose statements
# are about marketing, and of the two operation managers "website operation manager" is the
# "Internet operating manager" (website development, PV value), "business operation manager" the
# "Operating manager" (e-commerce projects, supply chain). Table II's customer service
# commissioner, risk control specialist and business negotiation representative are in no cell.
PLACEMENTS = [
    (
        "Research and development",
        "bachelor",
        [
            ("developer and designer of website", "Web editor and artist"),
            (
                "PC and mobile website developer and maintainer",
                "PC and mobile web page designer, website developer and maintainer",
            ),
        ],
    ),
    (
        "Research and development",
        "master",
        [
            ("website needs and planner", "Website promotion and planner"),
            ("e-commerce system architect", "E-commerce system architect"),
        ],
    ),
    (
        "Operation and promotion",
        "bachelor",
        [
            ("internet marketing specialist", "Online marketing specialist"),
            ("senior sales consultant", "Senior sales consultant"),
        ],
    ),
    (
        "Operation and promotion",
        "master",
        [
            ("business operation manager", "Operating manager"),
            ("network marketing manager", "Internet marketing manager"),
            ("website operation manager", "Internet operating manager"),
        ],
    ),
    (
        "Data analysis",
        "bachelor",
        [
            ("data analyst", "Data analyst"),
            ("market research commissioner", "Market researcher"),
        ],
    ),
    (
        "Data analysis",
        "master",
        [
            ("data analyst", "Data analyst"),
            ("data modeler", "Data modeler"),
        ],
    ),
]

# Table III's left column: (name as printed, degree level, order, description).
CERTIFICATIONS = [
    (
        "Cross-border e-commerce engineer",
        "bachelor",
        1,
        # Section IV C's double certification, in its own words (no "the" or "a" added).
        'Table III: "Cross-border e-commerce engineer (Bachelor)". Section IV C: "all students '
        "must obtain cross-border e-commerce engineer qualification certificate or recognized "
        'relevant professional qualification certificate."',
    ),
    (
        "Cross border senior e-commerce engineer",
        "master",
        2,
        'Table III: "Cross border senior e-commerce engineer (Master)". The name is kept as Table '
        "III "
        'prints it, without the hyphen of "Cross-border" used elsewhere in the paper, i.e. the '
        "cross-border senior e-commerce engineer.",
    ),
]

# Section IV A: "e-commerce basic module, international business module, network technology module,
# innovation and entrepreneurship module, graduation design module, etc." Codes are ours.
MODULES = [
    ("EB", "E-commerce basic module"),
    ("IB", "International business module"),
    ("NT", "Network technology module"),
    ("IE", "Innovation and entrepreneurship module"),
    ("GD", "Graduation design module"),
]

# Section IV A's progressive five-in-one model, in order. Codes are ours. The paper separates the
# steps by "---" but prints "simulation-actual operation" with a single hyphen; read as two steps,
# they make the five its name counts ("five-in-one"), so simulation and actual operation are apart.
STAGES = [
    ("theory", "Theory teaching"),
    ("demonstration", "Cognitive demonstration"),
    ("simulation", "Simulation"),
    ("operation", "Actual operation"),
    ("certification", "Certification assessment"),
]
FIVE_IN_ONE_QUOTE = (
    '"theory teaching---cognitive demonstration---simulation-actual operation---certification '
    'assessment"'
)

# Table III's 31 distinct courses (33 entries: "E-commerce Security" and "International Trade
# Practice" are each listed twice), in order of first appearance: (code, title, module, stage).
# A title is cased as the paper prints the course where it first lists it ("Online retail
# practice", "Mobile APP Planning and Implementation"), its first letter capitalised as the paper
# does at the head of a list.
# Module and stage are editorial; a stage is set only where the title justifies it: a "practice"
# course is actual operation, an introduction, law or behaviour course is theory teaching.
COURSES = [
    ("CBE101", "Dynamic Web Design", "NT", None),
    ("CBE102", "Web Interface Design and Beautification", "NT", None),
    ("CBE103", "E-commerce Security", "NT", None),
    ("CBE104", "Mobile APP Planning and Implementation", "NT", None),
    ("CBE105", "Online retail practice", "EB", "operation"),
    ("CBE106", "Online editing practice", "EB", "operation"),
    ("CBE107", "Business website operation", "EB", None),
    ("CBE108", "Online customer service and management", "EB", None),
    ("CBE109", "Online store operation and management", "EB", None),
    ("CBE110", "Online marketing and planning", "EB", None),
    ("CBE111", "International trade practice", "IB", "operation"),
    ("CBE112", "Cross-border culture and communication", "IB", None),
    ("CBE113", "E-commerce law", "EB", "theory"),
    ("CBE114", "Database technology", "NT", None),
    ("CBE115", "Data engineering", "NT", None),
    ("CBE116", "Commodity information collection and processing", "EB", None),
    ("CBE117", "Network investigation and analysis", "EB", None),
    ("CBE118", "E-commerce website construction", "NT", None),
    ("CBE119", "E-commerce system planning and design", "NT", None),
    ("CBE120", "Management information system", "NT", None),
    ("CBE121", "Data analysis language proficiency", "NT", None),
    ("CBE122", "Introduction to E-commerce", "EB", "theory"),
    ("CBE123", "Network Operations Management", "EB", None),
    ("CBE124", "Enterprise E-commerce Management", "EB", None),
    ("CBE125", "Consumer Behavior", "EB", "theory"),
    ("CBE126", "International Payment and Settlement", "IB", None),
    ("CBE127", "Cross-border Logistics and Supply Chain", "IB", None),
    ("CBE128", "Business data analysis", "EB", None),
    ("CBE129", "Data mining technology", "NT", None),
    ("CBE130", "Big data modeling", "NT", None),
    ("CBE131", "Business mode planning", "IE", None),
]

# Table III's rows: (certification, career direction as printed, [courses exactly as printed]).
# A listed text names its course case-insensitively; the trailing "." after the last row is dropped.
PROGRAMMES = [
    (
        "Cross-border e-commerce engineer",
        "Technological development",
        [
            "Dynamic Web Design",
            "Web Interface Design and Beautification",
            "E-commerce Security",
            "Mobile APP Planning and Implementation",
        ],
    ),
    (
        "Cross-border e-commerce engineer",
        "Operation and promotion",
        [
            "Online retail practice",
            "online editing practice",
            "business website operation",
            "online customer service and management",
            "online store operation and management",
            "online marketing and planning",
            "international trade practice",
            "cross-border culture and communication",
            "e-commerce law",
        ],
    ),
    (
        "Cross-border e-commerce engineer",
        "Mathematical analysis",
        [
            "Database technology",
            "data engineering",
            "commodity information collection and processing",
            "network investigation and analysis",
        ],
    ),
    (
        "Cross border senior e-commerce engineer",
        "Technological development",
        [
            "E-commerce website construction",
            "e-commerce system planning and design",
            "management information system",
            "e-commerce security",
            "data analysis language proficiency",
        ],
    ),
    (
        "Cross border senior e-commerce engineer",
        "Operation and promotion",
        [
            "Introduction to E-commerce",
            "Network Operations Management",
            "Enterprise E-commerce Management",
            "Consumer Behavior",
            "International Trade Practice",
            "International Payment and Settlement",
            "Cross-border Logistics and Supply Chain",
        ],
    ),
    (
        "Cross border senior e-commerce engineer",
        "Mathematical analysis",
        [
            "Business data analysis",
            "data mining technology",
            "big data modeling",
            "business mode planning",
        ],
    ),
]
