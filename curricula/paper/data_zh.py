# ruff: noqa: RUF001  (Chinese text takes full-width commas and parentheses)
"""Chinese names and descriptions of the paper's records: an editorial translation, not the
paper's text.

The paper (Luan et al.) is published in English only. These texts were translated for this
project so that the interface reads in Chinese throughout; they are ours, not the authors'. Each
record keeps the paper's own English words as its name and description (`data.py`), and the
loader stores these beside them (`name_zh`, `title_zh`, `text_zh`, `description_zh`), where staff
may correct them. Where the paper's English is odd ("express sell", "Dunhuang net",
"predication"), the Chinese gives what is meant (速卖通, 敦煌网, 预测).
"""

PROVENANCE_NOTE = "Chinese name: editorial translation (the paper is in English only)"

# The framework of Table II's statements and Section III's areas.
FRAMEWORK_NAME = "跨境电子商务专业能力"

# Section III A-E, by area code.
AREAS = {
    "RD": "研发能力",
    "MK": "市场营销能力",
    "MO": "管理与运营能力",
    "DA": "数据分析能力",
    "BN": "商务谈判能力",
}

# Their descriptions (data.AREAS: Section III A-E's paragraphs), by area code.
AREA_DESCRIPTIONS = {
    "RD": (
        "作为基础型电子商务人才，应精通电子商务技术，掌握电子商务技术的最新发展，并具备一定的"
        "现代商务知识；还应能够运用最有效的技术手段设计电子商务系统，以实现并满足跨境进出口平台"
        "商业模式的不同特点与需求。"
    ),
    "MK": (
        "人才应熟悉海外国家和地区的文化、经济与法律制度，具备良好的跨境沟通知识，能够运用多种"
        "网络推广方法提高网站浏览量和传播效果，并利用平台销售产品、开发客户、拓展跨境商务市场。"
    ),
    "MO": (
        "人才应熟悉国内外主要跨境电子商务平台的运营规则，熟练掌握国际贸易的基本业务流程，能够"
        "合理调配人力和产品资源，协调跨境供应链，并熟练操作 MIS 和 ERP 软件；还应能够快速、及时"
        "地处理订单交易、财务支付、商品运输、客户投诉和售后服务，并组建和管理跨境电子商务运营"
        "团队。"
    ),
    "DA": (
        "人才应具备扎实的商务数据统计与挖掘能力，能够依据相关理论，通过全方位的市场、产品和"
        "消费者数据调查，或对各类数据资源的收集与整理，对数据进行分析、比较、关联与整合，开展"
        "探索性分析和验证性分析。人才还应能够解决跨境电子商务管理与运营中的各类问题，并支撑以"
        "大数据建设为驱动的跨境电子商务运营与管理模式。"
    ),
    "BN": (
        "商务谈判型跨境电子商务人才是知识面广、跨文化知识扎实的高层次人才。他们应能够客观地理解"
        "和尊重文化差异，善于化解跨文化冲突；应具备跨文化商务运营与管理能力，熟悉世界贸易组织"
        "（WTO）的法律法规，熟练掌握国际商务。此外，开展贸易谈判、规避贸易风险、开拓国际市场和"
        "解决贸易纠纷的能力同样重要。"
    ),
}

# Table I's three types, by track name.
TRACKS = {
    "Research and development": "研发类",
    "Operation and promotion": "运营推广类",
    "Data analysis": "数据分析类",
}

# Table II's thirteen positions and Table I's two others, by name.
POSITIONS = {
    "Web editor and artist": "网页编辑与美工",
    "PC and mobile web page designer, website developer and maintainer": (
        "PC端与移动端网页设计师、网站开发与维护人员"
    ),
    "Website promotion and planner": "网站推广与策划人员",
    "Online marketing specialist": "网络营销专员",
    "Market researcher": "市场调研员",
    "Senior sales consultant": "高级销售顾问",
    "Customer service commissioner": "客服专员",
    "Data analyst": "数据分析师",
    "Internet marketing manager": "网络营销经理",
    "Internet operating manager": "网站运营经理",
    "Operating manager": "运营经理",
    "Risk control specialist": "风险控制专员",
    "Business negotiation representative": "商务谈判代表",
    "E-commerce system architect": "电子商务系统架构师",
    "Data modeler": "数据建模师",
}

# The descriptions of the two positions only Table I lists (data.TABLE_I_ONLY_POSITIONS), by
# name; Table II's positions have none. As data.TABLE_I_ONLY, in words the level reader takes
# for no doing (研发类, 数据分析类's 分析 read as verbs).
TABLE_I_ONLY = (
    "仅见于表一：表二未给出该职位的能力要求，因此尚无任何要求（其方向与学历层次见其归类）。"
)
POSITION_DESCRIPTIONS = {
    "E-commerce system architect": TABLE_I_ONLY,
    "Data modeler": TABLE_I_ONLY,
}

# Table II's 47 statements, by ability code (P<position>.<statement>).
STATEMENTS = {
    "P01.1": "具有出色的网页界面设计与色彩搭配能力",
    "P01.2": "熟练使用相关设计软件，如 Photoshop、Flash、Fireworks 和 Dreamweaver",
    "P01.3": "能够与前台架构师沟通",
    "P02.1": "熟悉 XHTML+CSS、XML、JavaScript 等知识",
    "P02.2": "熟悉网页标准 H5、浏览器兼容性、SEO（搜索引擎优化）",
    "P02.3": "熟悉 Android 和 iOS 软件开发",
    "P02.4": "根据客户需求设计网站结构，进行项目可行性分析和方案编制，制定项目实施计划",
    "P03.1": "熟悉网络营销与推广，熟悉网络工具的使用",
    "P03.2": "精通营销策划、公司产品的宣传与推广，具有较强的策划能力",
    "P03.3": "具有速卖通、亚马逊、敦煌网等跨境平台的销售经验和图片处理能力",
    "P03.4": "具有较强的外语沟通与表达能力",
    "P03.5": "具有较强的商务协调与公共关系能力",
    "P04.1": "熟悉信息发布与传播流程",
    "P04.2": "了解网络营销规则，熟悉当地文化与营销活动",
    "P04.3": "具有网店销售经验和一定的图片处理能力",
    "P04.4": "具有良好的口头沟通与写作能力",
    "P05.1": "熟练使用各类办公软件和信息系统软件",
    "P05.2": "具有数据分析能力",
    "P05.3": "具有较强的沟通与团队合作精神、业务拓展能力和强烈的责任感",
    "P05.4": "结合网络与实地走访收集所需商业信息",
    "P06.1": "能够开发、建立和管理客户资源",
    "P06.2": "能够分析跨境进出口客户的需求与市场变化，为改进企业的销售策略和服务提出建议",
    "P06.3": "具有建立社群、与客户保持良好服务与信任关系的能力",
    "P07.1": "熟悉网上购物、互联网 B2C、C2C 流程，商品上架与描述，在线客户沟通、销售与店铺管理",
    "P07.2": "能够将商品描述翻译成当地语言并与外国商人沟通",
    "P07.3": "了解国内外消费者心理与购物体验",
    "P08.1": "具有扎实的计算机基础，至少掌握一门开发语言，如 Python/R/Java",
    "P08.2": "掌握个性化推荐、聚类、关联、PageRank 等建模算法",
    "P08.3": "熟悉 Linux/Unix 系统和 Hadoop/HBase/Hive/Storm 分布式架构",
    "P08.4": "具有良好的团队合作精神和较强的沟通能力",
    "P09.1": "熟悉跨境电商进出口的各个流程",
    "P09.2": "熟悉客户管理、商品管理和陈列管理",
    "P09.3": "熟悉各类业务流程的制定与实施",
    "P09.4": "具有较强的团队管理能力、沟通能力和感召力",
    "P09.5": "具有市场分析与判断能力",
    "P10.1": "熟悉各类网站开发开源系统，具有丰富的网站开发与管理经验",
    "P10.2": "熟练使用数据库和商业智能工具，优化和提升网络后台系统与用户交互界面的 PV 值",
    "P10.3": "擅长数据分析和逻辑思维，具有清晰分析和解决问题的能力",
    "P11.1": (
        "擅长电子商务/网络营销项目策划与运营，熟悉国内外网络文化与特点，具有丰富的网络营销推广经验"
    ),
    "P11.2": "能够规划、实施、控制和执行跨国供应链的全过程",
    "P11.3": "具有出色的外语和中文文案写作能力，能够撰写各类方案和文案",
    "P12.1": "具有较强的行业分析能力，对国家政策和国际政治具有敏感性",
    "P12.2": "了解跨境电商的潜在风险因素，能够动态分析海外国家的各类商业风险并对风险进行分类",
    "P12.3": "能够结合各类数据和工具进行风险识别与预测，能够及时提出防止风险扩散的方案",
    "P13.1": "熟悉海外国家的贸易制度和规则，代表企业与海外商人进行商务谈判，开拓海外市场",
    "P13.2": "遵循海外市场法律开展企业国际化战略规划，提供合资、控股与并购方案",
    "P13.3": "为企业提供建议，帮助其通过整合国内外供应商、分销商和品牌的协作赢得战略利益",
}

# Table III's 31 courses, by course code.
COURSES = {
    "CBE101": "动态网页设计",
    "CBE102": "网页界面设计与美化",
    "CBE103": "电子商务安全",
    "CBE104": "移动 App 策划与实现",
    "CBE105": "网络零售实务",
    "CBE106": "网络编辑实务",
    "CBE107": "商务网站运营",
    "CBE108": "网络客户服务与管理",
    "CBE109": "网店运营与管理",
    "CBE110": "网络营销与策划",
    "CBE111": "国际贸易实务",
    "CBE112": "跨境文化与沟通",
    "CBE113": "电子商务法",
    "CBE114": "数据库技术",
    "CBE115": "数据工程",
    "CBE116": "商品信息采集与处理",
    "CBE117": "网络调研与分析",
    "CBE118": "电子商务网站建设",
    "CBE119": "电子商务系统规划与设计",
    "CBE120": "管理信息系统",
    "CBE121": "数据分析语言",
    "CBE122": "电子商务概论",
    "CBE123": "网络运营管理",
    "CBE124": "企业电子商务管理",
    "CBE125": "消费者行为学",
    "CBE126": "国际支付与结算",
    "CBE127": "跨境物流与供应链",
    "CBE128": "商务数据分析",
    "CBE129": "数据挖掘技术",
    "CBE130": "大数据建模",
    "CBE131": "商业模式策划",
}

# Table III's two certifications, by name as printed.
CERTIFICATIONS = {
    "Cross-border e-commerce engineer": "跨境电子商务工程师",
    "Cross border senior e-commerce engineer": "跨境高级电子商务工程师",
}

# Their descriptions (data.CERTIFICATIONS), by name.
CERTIFICATION_DESCRIPTIONS = {
    "Cross-border e-commerce engineer": (
        "表三：“跨境电子商务工程师（本科）”。第四部分 C 节：所有学生须取得"
        "跨境电子商务工程师资格证书或经认可的相关职业资格证书。"
    ),
    "Cross border senior e-commerce engineer": (
        "表三：“Cross border senior e-commerce engineer（硕士）”。英文名称按表三原样保留，"
        "未加论文其他地方“Cross-border”所用的连字符，即跨境高级电子商务工程师。"
    ),
}

# Degree levels as a description names them (stored text, so not the interface's catalogue).
DEGREES = {"bachelor": "本科", "master": "硕士"}

# A paper programme's description ("<where>: the courses of this career direction.").
PROGRAMME_DESCRIPTION = "表三，{certification}（{degree}），{direction}方向：该职业方向的课程。"

# Table III's career directions, by name as printed; a programme is "<certification> — <direction>".
DIRECTIONS = {
    "Technological development": "技术开发",
    "Operation and promotion": "运营推广",
    "Mathematical analysis": "数理分析",
}

# The tracks' aliases (data.TRACKS): Table III's and Section III F's names of Table I's types.
TRACK_ALIASES = {
    "Technological development": "技术开发",
    "technology development": "技术开发",
    "Mathematical analysis": "数理分析",
}

# The starter links' notes are in Chinese beside the English, in starter_links.csv (`note_zh`).

# Section IV A's modules and five-in-one stages, by code.
MODULES = {
    "EB": "电子商务基础模块",
    "IB": "国际商务模块",
    "NT": "网络技术模块",
    "IE": "创新创业模块",
    "GD": "毕业设计模块",
}
STAGES = {
    "theory": "理论教学",
    "demonstration": "认知演示",
    "simulation": "模拟",
    "operation": "实际操作",
    "certification": "认证考核",
}

# A stage's description ("Step <n> of the progressive five-in-one model: <quote>.").
STAGE_DESCRIPTION = (
    "递进式“五位一体”模式的第 {order} 步：“理论教学—认知演示—模拟—实际操作—认证考核”。"
)
