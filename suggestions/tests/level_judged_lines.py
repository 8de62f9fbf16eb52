# ruff: noqa: RUF001  (Chinese lines take full-width punctuation)
"""Course learning outcomes and job-advert lines, written as real syllabi and adverts write them,
with the level a careful curriculum designer gives each (None: the line asks for no depth),
JUDGED BY HAND BEFORE THE ENGINE WAS RUN ON THEM (2026-12-06), from the rules outcomes.py states:
an outcome's level is its leading verb's (the highest of those coordinated with it); a line
with no leading verb, its strongest verb's. A participle before a noun describes it ("written
reports", "applied statistics": no doing asked); a skill, a person, a team or a field named
with a Bloom word asks for no depth ("planning and design skills", "Scrum Master",
"Head of Product Design", 设计总监, 产品负责人); 系统 is a noun ("the system") before 的 and a
verb of making (系统的设计与实现: the design and implementation of a system, a topic) and an
adverb before a verb of knowing (系统的掌握: 的 written for 地). 具备…能力 names an ability
had, as 具备较强的数据分析能力 does (job_advert_lines.py): None.

Each entry: (line, expected level or None, a term of the line that names the ability). Course
lines are read as a course's outcome (propose_level), advert lines as a position's requirement
(propose_requirement_level)."""

COURSE_ENGLISH = [
    ("Explain the principles of operating systems, including process scheduling", "I", "process"),
    ("Apply statistical methods to analyse experimental data", "R", "statistical"),
    ("Design and implement a relational database for a small business", "M", "database"),
    ("Critically evaluate published research in nursing practice", "M", "nursing"),
    ("Describe the structure and function of the cardiovascular system", "I", "cardiovascular"),
    ("Use spreadsheet software to prepare financial statements", "R", "spreadsheet"),
    ("Develop a marketing plan for a new product", "M", "marketing"),
    ("Identify the main stakeholders of a construction project", "I", "stakeholders"),
    ("Produce written reports that communicate technical findings", "R", "reports"),
    ("Demonstrate effective written and oral communication", "R", "oral"),
    ("Interpret financial statements using ratio analysis", "I", "ratio"),
    ("Apply project planning and scheduling techniques to engineering projects", "R", "scheduling"),
    ("Understand the fundamentals of applied statistics", "I", "statistics"),
    ("Formulate and solve linear programming models", "M", "linear"),
    ("Discuss ethical issues in software engineering", "I", "ethical"),
    ("Construct a project schedule and evaluate its critical path", "M", "critical path"),
    ("Recognise common signs of deterioration in a patient's condition", "I", "deterioration"),
    ("Carry out a nursing assessment of an adult patient", "R", "adult"),
    ("Conduct a literature review on a topic in public health", "R", "public health"),
    ("Have a basic understanding of machine learning algorithms", "I", "machine learning"),
    ("Write well-structured programs in Python", "R", "python"),
    ("Plan and deliver a short teaching session", "M", "teaching"),
]

COURSE_CHINESE = [
    ("了解计算机网络的基本概念和体系结构", "I", "计算机网络"),
    ("理解TCP/IP协议的工作原理", "R", "协议"),
    ("掌握数据库设计的基本方法", "M", "数据库"),
    ("能够运用统计软件对实验数据进行分析", "R", "统计"),
    ("能够完成小型信息系统的设计与实现", "M", "信息系统"),
    ("熟悉软件开发的基本流程", "R", "软件"),
    ("初步掌握面向对象程序设计方法", "R", "面向对象"),
    ("具备信息系统的设计与实现能力", None, "信息系统"),
    ("系统掌握会计核算的基本方法", "M", "会计"),
    ("系统地了解中国近现代史的基本脉络", "I", "近现代史"),
    ("能够对系统的性能进行分析和优化", "M", "性能"),
    ("了解系统的设计与实现过程", "I", "实现"),
    ("系统的设计与实现", None, "实现"),
    ("掌握系统的分析与设计方法", "M", "方法"),
    ("能够撰写规范的实验报告", "R", "实验"),
    ("评价不同护理方案的优缺点", "M", "护理"),
    ("熟练使用常用办公软件", "M", "办公软件"),
    ("基本掌握财务报表的编制方法", "R", "财务报表"),
    ("系统的学习和掌握电路分析的基本方法", "M", "电路"),
    ("全面的了解电子商务的发展历程", "I", "电子商务"),
]

ADVERT_ENGLISH = [
    ("Excellent written and verbal communication skills", None, "communication"),
    ("Excellent written and verbal communication", None, "communication"),
    ("Strong planning and design skills", None, "planning"),
    ("Planning and design skills", None, "planning"),
    ("Good problem-solving and analytical skills", None, "problem-solving"),
    ("Scrum Master (Agile Delivery)", None, "agile"),
    ("Tech Lead, Payments Platform", None, "payments"),
    ("Product Owner – Mobile Banking", None, "mobile"),
    ("Head of Product Design", None, "product"),
    ("Design Lead", None, "lead"),
    ("Certified Scrum Master preferred", None, "scrum"),
    ("Design, build and maintain CI/CD pipelines", "M", "pipelines"),
    ("Analyse customer feedback and identify product improvements", "R", "customer feedback"),
    ("Experience with applied machine learning", None, "machine learning"),
    ("Degree in applied statistics or a related field", None, "statistics"),
    ("Write clear technical documentation", "R", "documentation"),
    ("Strong written English", None, "english"),
    ("Able to communicate complex ideas to non-technical stakeholders", "R", "stakeholders"),
    ("Develop and execute test plans", "M", "test plans"),
    ("Knowledge of accounting standards (IFRS)", "I", "ifrs"),
    ("Manage and develop a team of designers", "M", "team"),
    ("Familiarity with project management tools such as Jira", "R", "jira"),
]

ADVERT_CHINESE = [
    ("产品负责人（电商方向）", None, "电商"),
    ("设计总监", None, "设计总监"),
    ("软件开发主管", None, "软件"),
    ("数据分析专员", None, "数据"),
    ("负责系统的设计与实现", "M", "实现"),
    ("具备良好的书面和口头表达能力", None, "表达"),
    ("熟悉敏捷开发流程，有Scrum Master认证者优先", "R", "敏捷"),
    ("能够独立完成模块的设计与开发", "M", "模块"),
    ("掌握常用的数据分析方法", "M", "数据"),
    ("有系统设计经验者优先", None, "系统"),
    ("参与系统的需求分析与设计", "M", "需求"),
]
