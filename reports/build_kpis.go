package reports

// cardSpec says which metric column a headline card shows, which way is
// good news, and how to name and explain it in each language.
type cardSpec struct {
	metric, column string
	format         Format
	good           string // "up" or "down"
	en, zh         string
	hintEn, hintZh string
}

// cardSpecs are the headline KPIs in reading order: growth, participation,
// activities and service, return, health.
var cardSpecs = []cardSpec{
	{"growth", "members_end", Int, "up", "Members", "成员数",
		"Members in all groups at the end of the week (staff and bots left out).", "周末各群成员总数（不含工作人员和机器人）。"},
	{"growth", "net_growth", Int, "up", "Net growth", "净增长",
		"Joins minus leaves and removals in the week.", "本周入群人数减去退群和被移出人数。"},
	{"growth", "growth_rate", Percent, "up", "Growth rate", "增长率",
		"Net growth / members at the start of the week.", "净增长 / 周初成员数。"},
	{"growth", "referral_share", Percent, "up", "Referral share", "老带新占比",
		"Share of the week's joins brought by a member (invited, or by their QR code).", "本周入群中由老成员邀请或扫其二维码加入的比例。"},
	{"participation", "active_members", Int, "up", "Active members", "活跃成员",
		"Members who sent at least one message in the week.", "本周至少发言一次的成员。"},
	{"participation", "participation_rate", Percent, "up", "Participation", "参与率",
		"Active members / members at the end of the week.", "活跃成员 / 周末成员数。"},
	{"engagement", "dau", Float, "up", "DAU", "日活（DAU）",
		"Average distinct members who spoke per day of the week.", "本周平均每天发言的不同成员数。"},
	{"engagement", "wau", Int, "up", "WAU", "周活（WAU）",
		"Distinct members who spoke in the 7 days ending with the week.", "截至周末 7 天内发言的不同成员数。"},
	{"engagement", "stickiness", Percent, "up", "Stickiness (DAU/MAU)", "黏性（DAU/MAU）",
		"DAU / members who spoke in the 30 days ending with the week.", "日活 / 截至周末 30 天内发言的成员数。"},
	{"participation", "messages", Int, "up", "Messages", "消息数",
		"Members' messages in the week (system notices and recalls left out).", "本周成员消息数（不含系统通知和撤回）。"},
	{"activity_frequency", "activities_per_week", Float, "up", "Activities per group", "群均活动数",
		"Activities held in the week (check-ins, sharing sessions, votes, events…) per group.", "本周每个群平均举办的活动（打卡、分享会、投票、活动等）。"},
	{"responsiveness", "median_minutes_to_response", Minutes, "down", "Median response time", "响应时长中位数",
		"Median minutes from a member's question to the first staff message.", "成员提问到工作人员首次发言的时长中位数（分钟）。"},
	{"conversion", "conversion_rate", Percent, "up", "Conversion", "转化率",
		"Of the week's joiners, the share whose first paid order came after joining.", "本周入群成员中，入群后首次付费下单的比例。"},
	{"repurchase", "repurchase_rate", Percent, "up", "Repurchase rate", "复购率",
		"Of the customers who ordered in the week, the share with two or more orders.", "本周下单的客户中，下单两次及以上的比例。"},
	{"health", "health_score", Float, "up", "Average health score", "平均健康分",
		"Average over groups of the 0–100 health score (participation, growth, rhythm, responsiveness, size).", "各群健康分（0–100：参与、增长、活动节奏、响应、规模）的平均值。"},
}

func buildCardsModel(w *results, lang string) []Card {
	zh := lang == "zh"
	var cards []Card
	for _, s := range cardSpecs {
		if !w.seen[s.metric] {
			continue
		}
		series := w.series(s.metric, s.column)
		cards = append(cards, Card{
			Key:       s.metric + "." + s.column,
			Title:     pick(zh, s.en, s.zh),
			Format:    s.format,
			Value:     series[len(series)-1],
			Previous:  series[len(series)-2],
			GoodWhen:  s.good,
			Sparkline: series,
			Hint:      pick(zh, s.hintEn, s.hintZh),
		})
	}
	return cards
}

// channels are the join sources of growth's joins_<channel> columns, in
// the order the chart stacks them.
var channels = []struct{ key, en, zh string }{
	{"referral", "Referral", "老带新"},
	{"qr", "QR code", "扫码"},
	{"link", "Invite link", "邀请链接"},
	{"website", "Website", "官网"},
	{"official_account", "Official account", "公众号"},
	{"weibo", "Weibo", "微博"},
	{"offline", "Offline", "线下活动"},
	{"sms", "SMS", "短信"},
	{"import", "Imported", "导入"},
	{"unknown", "Unknown", "未知"},
}

// activityTypes are activity_frequency's columns by type, stacked in this order.
var activityTypes = []struct{ col, en, zh string }{
	{"checkins", "Check-ins", "打卡"},
	{"sharing", "Sharing sessions", "分享会"},
	{"votes", "Votes", "投票"},
	{"events", "Events", "活动"},
	{"other_activities", "Other", "其他"},
}

// violationTypes are risk_violations' columns by category.
var violationTypes = []struct{ col, en, zh string }{
	{"abuse", "Abuse and insults", "辱骂攻击"},
	{"advertising", "Advertising", "广告"},
	{"political", "Political, sensitive", "政治敏感"},
	{"indecent", "Indecent", "低俗色情"},
	{"flooding", "Flooding", "刷屏"},
	{"media", "Oversized media", "超大图片/文件"},
	{"nickname", "Nicknames", "昵称违规"},
}

func buildTrendsModel(w *results, lang string) []Trend {
	zh := lang == "zh"
	t := func(en, cn string) string { return pick(zh, en, cn) }
	labels := w.weekLabels()
	var out []Trend
	if w.seen["growth"] {
		out = append(out, Trend{Key: "growth.members", Title: t("Members and net growth", "成员数与净增长"), Kind: "bar", Format: Int, Labels: labels,
			Series: []Series{
				{Name: t("Net growth", "净增长"), Values: w.series("growth", "net_growth")},
				{Name: t("Members at week end", "周末成员数"), Values: w.series("growth", "members_end"), Kind: "line", Axis: 1},
			}})
		var chans []Series
		for _, c := range channels {
			s := Series{Name: t(c.en, c.zh), Values: w.series("growth", "joins_"+c.key)}
			if anyNonZero(s.Values) {
				chans = append(chans, s)
			}
		}
		if len(chans) == 0 {
			chans = []Series{{Name: t("Joins", "入群"), Values: w.series("growth", "joins")}}
		}
		out = append(out, Trend{Key: "growth.channels", Title: t("Joins by channel", "各渠道入群人数"), Kind: "stacked", Format: Int, Labels: labels, Series: chans})
	}
	if w.seen["engagement"] {
		out = append(out, Trend{Key: "engagement.dau_wau", Title: t("Daily and weekly active members", "日活与周活"), Kind: "line", Format: Int, Labels: labels,
			Series: []Series{
				{Name: t("DAU (daily average)", "日活（日均）"), Values: w.series("engagement", "dau")},
				{Name: t("WAU", "周活"), Values: w.series("engagement", "wau")},
			}})
	}
	if w.seen["conversion"] || w.seen["repurchase"] {
		out = append(out, Trend{Key: "conversion.repurchase", Title: t("Conversion and repurchase", "转化率与复购率"), Kind: "line", Format: Percent, Labels: labels,
			Series: []Series{
				{Name: t("Conversion", "新成员转化率"), Values: w.series("conversion", "conversion_rate")},
				{Name: t("Repurchase (week)", "复购率（本周）"), Values: w.series("repurchase", "repurchase_rate")},
				{Name: t("Repurchase (to date)", "累计复购率"), Values: w.series("repurchase", "repurchase_rate_cumulative")},
			}})
	}
	if w.seen["activity_frequency"] {
		var types []Series
		for _, a := range activityTypes {
			s := Series{Name: t(a.en, a.zh), Values: w.series("activity_frequency", a.col)}
			if anyNonZero(s.Values) {
				types = append(types, s)
			}
		}
		if len(types) == 0 {
			types = []Series{{Name: t("Activities", "活动"), Values: w.series("activity_frequency", "activities")}}
		}
		out = append(out, Trend{Key: "activity.types", Title: t("Activities held per week, by type", "每周活动次数（按类型）"), Kind: "stacked", Format: Int, Labels: labels, Series: types})
	}
	return out
}

// violationsTrend is the risk chart: violations per week by category.
func violationsTrend(w *results, lang string) (Trend, bool) {
	if !w.seen["risk_violations"] {
		return Trend{}, false
	}
	zh := lang == "zh"
	var cats []Series
	for _, v := range violationTypes {
		s := Series{Name: pick(zh, v.en, v.zh), Values: w.series("risk_violations", v.col)}
		if anyNonZero(s.Values) {
			cats = append(cats, s)
		}
	}
	if len(cats) == 0 {
		cats = []Series{{Name: pick(zh, "Violations", "违规"), Values: w.series("risk_violations", "violations")}}
	}
	return Trend{Key: "risk.violations", Title: pick(zh, "Rule violations per week, by category", "每周违规次数（按类别）"),
		Kind: "stacked", Format: Int, Labels: w.weekLabels(), Series: cats}, true
}

// anyNonZero reports whether a series has a value other than zero.
func anyNonZero(vs []*float64) bool {
	for _, v := range vs {
		if isNumber(v) && *v != 0 {
			return true
		}
	}
	return false
}
