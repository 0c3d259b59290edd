package synth

// Word lists and message texts. Nothing here may contain a newline, and
// nicknames never contain "(", ")", "<", ">" or "@", so the QQ sender line
// "nick(uid)" / "nick<mail>" and the "@nick" mentions stay unambiguous.

var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
	"郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "欧阳",
}

var givenChars = []string{
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
	"明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "辉", "宇",
	"浩", "凯", "婷", "雪", "琳", "晨", "欣", "怡", "佳", "子", "涵", "轩", "博", "文", "思",
	"雨", "晓", "梓", "睿", "然", "嘉", "航", "悦", "阳", "宁", "倩", "晶", "瑶", "峰", "彬",
}

var englishFirst = []string{
	"Tom", "Anna", "Lucas", "Emma", "Noah", "Mia", "Liam", "Olivia", "Jonas", "Sofia",
	"Leon", "Hannah", "Paul", "Clara", "Felix", "Laura", "David", "Sarah", "Max", "Julia",
	"Ben", "Lena", "Marco", "Giulia", "Pierre", "Chloe", "Ivan", "Elena", "Omar", "Nora",
	"Kevin", "Grace", "Ryan", "Amy", "Jack", "Lily", "Sam", "Zoe", "Alex", "Eva",
}

var englishLast = []string{
	"Smith", "Müller", "Schmidt", "Rossi", "Martin", "Dubois", "Novak", "Kowalski", "Jansen",
	"Garcia", "Lopez", "Brown", "Wilson", "Weber", "Fischer", "Bernard", "Nielsen", "Chen", "Wang", "Lee",
}

var pinyinSurnames = []string{
	"wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu",
}

var companies = []string{
	"星河科技", "云帆科技", "蓝海网络", "启明软件", "华创电子", "拓维信息", "远景数据", "恒信咨询", "新锐传媒",
	"东方设计", "智联教育", "北辰物流", "金桥贸易", "青木文化", "鼎盛建设", "天成医疗", "光合能源", "飞鱼游戏",
	"自由职业", "在校学生", "个体经营", "产品经理", "设计师", "程序员", "运营", "销售", "教师", "财务",
}

var englishCompanies = []string{
	"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Freelance", "Student",
}

var cities = []string{
	"北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆", "苏州", "天津",
	"长沙", "郑州", "青岛", "厦门", "合肥", "济南", "昆明", "大连", "沈阳", "福州", "宁波", "无锡",
}

var englishCities = []string{
	"Berlin", "Paris", "London", "Madrid", "Rome", "Amsterdam", "Vienna", "Warsaw", "Prague", "Dublin",
	"Munich", "Zurich", "Milan", "Lisbon", "Stockholm", "Oslo", "Helsinki", "Brussels",
}

var jobs = []string{
	"互联网运营", "软件开发", "产品设计", "市场营销", "教育培训", "电商", "财务", "人力资源", "销售", "自媒体",
	"数据分析", "外贸", "医疗", "建筑设计", "摄影", "行政",
}

var englishJobs = []string{"software", "marketing", "design", "sales", "education", "finance", "consulting", "research"}

var hobbies = []string{
	"跑步", "摄影", "看书", "旅行", "打羽毛球", "爬山", "做饭", "听音乐", "写代码", "玩游戏", "画画", "钓鱼",
}

var nickEmoji = []string{"🌟", "🍀", "🌙", "☀️", "🐱", "🎈"}

// Staff: name, role text, city. The role text is part of the nick.
var staffNames = [][3]string{
	{"小美", "官方客服", "上海"}, {"阿星", "星河运营", "杭州"}, {"小雨", "技术支持", "深圳"},
	{"大白", "社群运营", "北京"}, {"小橙", "官方客服", "成都"}, {"可可", "产品经理", "杭州"},
	{"小鹿", "官方客服", "广州"}, {"阿杰", "技术支持", "上海"}, {"小七", "社群运营", "武汉"},
	{"糖糖", "活动运营", "南京"}, {"小诺", "官方客服", "西安"}, {"老周", "技术支持", "北京"},
}

var englishStaffNames = [][3]string{
	{"Anna", "NovaSupport", "Berlin"}, {"Mark", "NovaTeam", "Amsterdam"}, {"Julie", "NovaSupport", "Paris"},
	{"Sven", "NovaTeam", "Stockholm"},
}

// Group name families.
var stationCities = []string{"北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆", "苏州", "长沙"}
var englishRegions = []string{"EU", "UK", "DACH", "Nordics", "France", "Iberia", "Benelux", "Italy"}
var otherGroups = []string{"星河开发者社区", "星河VIP客户群", "星河内测体验群", "星河新手答疑群", "星河创作者联盟"}

// Chat texts.
var cnChat = []string{
	"大家早上好", "今天又是元气满满的一天", "收到，谢谢", "好的好的", "哈哈哈哈", "同意楼上", "这个功能真不错",
	"我也遇到过类似的情况", "学到了", "感谢分享", "刚下班，看看大家在聊什么", "周末有人一起去爬山吗",
	"新版本用起来流畅多了", "昨天的直播回放在哪里看", "我觉得还可以再优化一下", "晚上好呀", "有道理",
	"这个我试过，确实好用", "已经升级了，没发现问题", "中午吃什么好纠结", "今天加班到很晚", "支持一下",
	"这个活动挺有意思的", "期待下次的分享会", "我们公司也在用星河", "赞👍", "明白了，谢谢解答",
	"刚看完手册，收获很大", "群里好热闹", "来晚了，错过了什么", "这个价格有优惠吗", "客服回复好快",
	"分享一下我的使用心得：先把模板设置好，后面省很多事", "推荐大家试试新出的批量导出", "打扰了，路过冒个泡",
	"今天天气真好", "有没有杭州的朋友", "我是做电商的，这个对我们很有用", "建议增加一个夜间模式",
	"投票已参与", "报名了报名了", "上次说的问题已经解决了", "谢谢小美", "辛苦了", "晚安各位",
	"这周的分享会讲得很好", "第一次参加这种线上活动", "我来说两句", "刚入手专业版，体验不错",
	"有人用过企业版吗，和专业版差别大不大", "手机端和电脑端数据同步很及时", "我先去忙了，回头聊",
}

var cnTails = []string{"", "", "", "", "！", "～", "哈哈", "😄", "👍", "。", "…"}

var enChat = []string{
	"Good morning everyone", "Thanks for sharing!", "Agreed", "Nice, the new release is much faster",
	"Same issue here", "Has anyone tried the export feature?", "I'll join the call on Thursday",
	"Great session yesterday", "Love the new dashboard", "Works for me now, thanks", "lol",
	"Just upgraded to Pro, so far so good", "Where can I find the recording?", "Count me in",
	"Any tips for setting up templates?", "Have a nice weekend all", "Back from holidays, what did I miss",
	"This group is super helpful", "+1", "ok", "See you at the meetup",
}

var cnQuestions = []string{
	"请问怎么修改绑定的手机号", "专业版和基础版有什么区别", "导出的报表打不开怎么办", "有没有人知道发票怎么开",
	"新版本在哪里下载", "为什么我登录不上了", "会员到期了怎么续费", "这个功能支持手机端吗", "活动怎么报名",
	"企业版可以试用吗", "数据可以批量导入吗", "上次分享会的资料在哪里", "怎么设置自动备份",
	"退款流程是怎样的", "有没有使用手册", "同步一直失败是什么原因", "可以多人协作吗",
}

var enQuestions = []string{
	"How do I change my phone number", "What's the difference between Basic and Pro",
	"Is there a manual somewhere", "Why does the sync keep failing", "Can I get an invoice",
	"When is the next community call", "Does it work on mobile", "How do I renew my membership",
}

var cnAnswers = []string{
	"您好，可以在 设置-账号与安全 里修改，修改后需要重新验证", "您好，区别主要在协作和导出功能，详细对比见手册",
	"您好，麻烦私聊我一下您的账号，我帮您查一下", "您好，新版本可以在官网下载：https://www.example.com/download",
	"您好，这个问题已经记录，技术同学正在处理，预计今天修复", "您好，手册在群公告里，也可以看这里 https://help.example.com",
	"您好，支持的，手机端在 我的-同步 里打开即可", "您好，报名链接在群公告，名额有限哦",
	"您好，发票在订单详情页申请，1-3个工作日开具", "您好，可以的，企业版支持14天免费试用",
}

var enAnswers = []string{
	"Hi, you can change it under Settings > Account. Let me know if it doesn't work",
	"Hi, the comparison is in the manual: https://help.example.com/plans",
	"Hi, could you DM me your account id? I'll check", "Hi, yes it works on mobile, enable sync under Me > Sync",
	"Hi, we're aware of it and a fix ships today", "Hi, invoices are in the order details page",
}

var cnStaffChat = []string{
	"大家早上好，今天也要加油哦", "温馨提示：群内禁止发广告，违者移出", "新朋友请先看群公告，按格式修改群名片：姓名|公司|城市",
	"使用手册已更新，欢迎大家查阅 https://help.example.com/manual", "有问题随时@我", "本周产品更新内容已发在群公告",
	"感谢大家的反馈，我们会持续优化", "晚上好，大家今天用得怎么样", "需求投票开始啦，欢迎大家参与 https://vote.example.com",
	"内测名额还有10个，想参加的私聊我",
}

var enStaffChat = []string{
	"Good morning all! Ping me if you need anything", "Reminder: no ads in this group please",
	"New members: please set your nickname as Name|Company|City", "Release notes for this week are pinned",
	"Thanks for all the feedback, keep it coming", "Manual updated: https://help.example.com/manual",
}

var cnWelcome = []string{
	"欢迎新朋友 @%s 请先看群公告", "欢迎 @%s 加入，请按格式修改群名片哦", "热烈欢迎 @%s ，有问题随时问我",
}

var enWelcome = []string{
	"Welcome @%s! Please read the group notice first", "Welcome aboard @%s, set your nickname as Name|Company|City please",
}

var cnActivities = []string{
	"【活动】本周四晚8点线上分享会：%s，欢迎大家报名参加！",
	"【活动】本周打卡挑战开始啦，连续打卡7天送周边，回复 #打卡 参与",
	"【活动】新功能内测招募：%s，名额20个，报名请接龙",
	"【活动】周末线下沙龙：%s，地点见群公告，报名链接 https://event.example.com/signup",
	"【活动】需求投票：下一个版本你最想要什么功能？投票地址 https://vote.example.com",
	"【活动】有奖征文：分享你的使用故事，优秀作品送年度会员",
}

var enActivities = []string{
	"【活动】Community call this Thursday 8pm: %s. Sign up: https://event.example.com/signup",
	"【活动】Feature vote is open, tell us what to build next: https://vote.example.com",
	"【活动】Beta testers wanted for %s, reply here to join",
}

var topics = []string{
	"如何用模板提升效率", "数据导出与报表技巧", "团队协作最佳实践", "移动端新功能解读", "从零搭建自动化流程", "用户案例分享",
}

var enTopics = []string{"templates that save time", "export and reporting tips", "team workflows", "the new mobile app"}

var cnCheckin = []string{"今天跑步5公里", "读书30分钟", "早起成功", "学习了新功能", "完成今日任务", "坚持就是胜利"}

var cnIntro = []string{
	"大家好，我是%s，来自%s，从事%s，喜欢%s，请多关照！",
	"大家好，我是%s，来自%s，目前从事%s工作，平时喜欢%s",
	"新人报到～大家好，我是%s，来自%s，从事%s，希望和大家多交流",
}

var enIntro = []string{
	"Hi all, I'm %s from %s, working in %s. Happy to be here!",
	"Hello everyone, %s here, based in %s, I work in %s",
}

var cnSpam = []string{
	"加V信 xk889 低价代购名牌包包，全网最低", "兼职刷单日赚300，私聊我 https://spam.example.net/job",
	"免费领取会员，点击链接 https://spam.example.net/free", "出售各类账号，价格美丽，有意私聊",
}

var linkTexts = []string{
	"分享一篇文章：", "这个教程不错 ", "官方博客更新了 ", "看看这个 ", "",
}

var links = []string{
	"https://www.example.com/blog/2026/templates", "https://help.example.com/manual", "https://mp.example.com/s/Xk3aPq",
	"https://www.example.com/download", "https://video.example.com/v/88231", "https://docs.example.com/faq#sync",
}

var mixedPlaceholders = []string{
	"看这个[图片]", "[图片]这是我们的新界面", "哈哈[表情]", "[表情][表情]", "[图片][图片]", "截图如下[图片]",
	"[语音]刚才说的就是这个", "[文件]使用手册v2.pdf", "有点卡[表情]",
}

var cnMultiHead = []string{"说几点感受：", "我整理了一下步骤：", "补充一下：", "反馈几个问题："}
var cnMultiLines = []string{
	"1. 打开设置", "2. 选择导出", "3. 等待几秒就好了", "界面比以前清爽", "导出速度快了很多",
	"手机端偶尔会闪退", "希望增加批量操作", "客服响应很及时", "文档可以再详细一点",
}

var products = []struct {
	name  string
	cents int64
	first float64 // weight as a first order
	again float64 // weight as a repeat order
}{
	{"星河基础版", 19900, 5, 2},
	{"星河专业版", 69900, 3, 3},
	{"星河企业版", 299900, 0.6, 1},
	{"年度会员", 36500, 2, 4},
	{"线上训练营", 9900, 3, 2},
	{"硬件套件", 129900, 0.8, 1},
}
