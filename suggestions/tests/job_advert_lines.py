# ruff: noqa: RUF001  (Chinese lines take full-width punctuation)
"""Job-advert lines and the level each should propose as a position's requirement (None: none),
JUDGED BY HAND BEFORE THE ENGINE WAS RUN ON THEM, from the rules the README states for course
outcomes and these for adverts: a job title's head noun (architect, engineer, designer,
developer, analyst, manager, lead; 工程师, 设计师, 分析师) names a person; a Bloom word before a
word naming a person, a team or what one has ("design team", "R&D team", "Lead Developer",
"design experience", 设计团队, 开发经验) names who or what, not a doing; a degree or years of
experience asks for no depth; a heading is no outcome. "Proficient in" is the English of 精通
(M), as "familiar with" is of 熟悉 (R). 负责…的设计与开发 says what the holder does, as
"Responsible for the design and development of ..." does (M).

Each entry: (line, expected level or None, a term of the line that names the ability)."""

ENGLISH = [
    # Titles
    ("Senior E-commerce System Architect", None, "e-commerce"),
    ("Lead Software Engineer (Backend)", None, "software"),
    ("UX Designer – Mobile Apps", None, "mobile"),
    ("Data Analyst, Supply Chain", None, "supply chain"),
    ("Marketing Manager, Cross-border E-commerce", None, "marketing"),
    ("Solution Architect / Technical Lead", None, "solution"),
    ("Design Engineer (Hardware)", None, "hardware"),
    ("Development Manager, Mobile Platform", None, "mobile"),
    ("We are hiring a Data Engineer for our Shanghai office", None, "data"),
    ("Job title: Front-end Developer", None, "front-end"),
    # Headings
    ("Responsibilities:", None, "responsibilities"),
    ("Requirements:", None, "requirements"),
    ("What you will do", None, "what you will do"),
    # Duties
    ("Design and develop the backend services of our online shop", "M", "backend"),
    ("Develop and maintain RESTful APIs in Python", "M", "python"),
    ("Analyse sales data and prepare weekly reports", "R", "sales data"),
    ("Work closely with the design team to deliver new features", None, "features"),
    ("Collaborate with the R&D team on product roadmaps", None, "product"),
    ("Report to the development team lead", None, "report"),
    ("Join our design team in Shanghai", None, "shanghai"),
    ("Build and optimise data pipelines", "M", "data pipelines"),
    ("Use Git for version control", "R", "git"),
    ("Write unit tests and debug production issues", "R", "unit tests"),
    ("Manage a team of five developers", "R", "team"),
    ("Lead a small team of engineers", "M", "team"),
    ("Conduct user research and usability testing", "R", "user research"),
    ("Evaluate new technologies and tools", "M", "technologies"),
    ("Plan and coordinate product releases", "M", "product releases"),
    ("Responsible for system architecture and design", "M", "system"),
    ("Responsible for the design and development of backend systems", "M", "backend"),
    # Requirements
    ("3+ years of experience in Java development", None, "java"),
    ("5 years of software development experience", None, "software"),
    ("Bachelor's degree in Computer Science or related field", None, "computer science"),
    ("Master's degree in Statistics preferred", None, "statistics"),
    ("Project management experience is a plus", None, "project"),
    ("Design experience with Figma", None, "figma"),
    ("Strong analytical skills", None, "analytical"),
    ("Strong communication and teamwork skills", None, "teamwork"),
    ("Familiar with Docker and Kubernetes", "R", "docker"),
    ("Proficient in SQL and Excel", "M", "sql"),
    ("Able to design scalable distributed systems", "M", "distributed systems"),
    ("Experience designing distributed systems", "M", "distributed systems"),
    ("Knowledge of TCP/IP networking", "I", "networking"),
    ("Awareness of GDPR is an advantage", "I", "gdpr"),
    ("Good understanding of supply chain processes", "I", "supply chain"),
]

CHINESE = [
    ("招聘：跨境电商系统架构师", None, "跨境电商"),
    ("岗位职责：", None, "岗位职责"),
    ("任职要求：", None, "任职要求"),
    ("数据分析师", None, "数据"),
    ("高级前端开发工程师", None, "前端"),
    ("UI设计师（电商方向）", None, "电商"),
    ("研发中心招聘嵌入式软件工程师", None, "嵌入式"),
    ("负责电商平台后端系统的设计与开发", "M", "后端"),
    ("负责产品的规划与设计", "M", "产品"),
    ("参与产品需求分析，编写技术文档", "R", "技术文档"),
    ("负责数据分析与报表制作", "R", "报表"),
    ("与设计团队紧密合作，编写前端页面", "R", "前端"),
    ("能够独立设计数据库结构", "M", "数据库"),
    ("3年以上Java开发经验", None, "java"),
    ("3年以上工作经验", None, "工作经验"),
    ("本科及以上学历，计算机相关专业", None, "计算机"),
    ("有项目管理经验者优先", None, "项目管理"),
    ("具有良好的沟通能力和团队合作精神", None, "团队合作"),
    ("具备较强的数据分析能力", None, "数据"),
    ("熟悉MySQL、Redis等数据库", "R", "数据库"),
    ("精通Java，熟悉Spring框架", "M", "java"),
    ("熟练掌握Python编程", "M", "python"),
    ("了解Docker者优先", "I", "docker"),
    ("有产品设计经验者优先", None, "产品"),
]
