/*
 * The search dictionary of community services, kept as reviewed data (test/dictionary.test.ts checks that
 * every entry is well formed). Simplified Chinese and lower-case Latin only: queries are converted to that
 * form before they are looked up. Change it in review like code: a bad entry changes every search.
 */

/**
 * Words that mean the same thing here; each word of a group finds listings written with any other. Pushed
 * to Meilisearch as its synonyms (both directions) on startup and reindex.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  // venues
  ['会议室', '会场', '会议厅'],
  ['活动室', '多功能厅', '活动中心'],
  ['报告厅', '礼堂', '大礼堂'],
  ['培训室', '教室'],
  ['厨房', '灶台'],
  ['阅读', '读书'],
  ['茶馆', '茶室'],
  // expertise
  ['法律咨询', '法律援助', '律师咨询', '普法'],
  ['心理咨询', '心理辅导', '心理健康'],
  ['讲座', '宣讲'],
  ['心肺复苏', 'cpr'],
  ['应急救护', '急救'],
  ['财务', '会计', '税务', '记账'],
  ['创业', '双创'],
  ['就业', '求职'],
  ['反诈', '防诈骗'],
  ['办公软件', 'office'],
  // volunteering and everyday words
  ['志愿者', '义工'],
  ['义剪', '理发'],
  ['老人', '老年人', '长者'],
  ['助老', '为老服务'],
  ['课业辅导', '作业辅导'],
  ['居委会', '居民委员会'],
  ['外籍', '外国人'],
  ['亲子', '育儿'],
  // abbreviations that organizations also use in their own names (黄浦区妇联), so never rewritten away
  ['妇联', '妇女联合会'],
  ['团委', '共青团'],
]

/**
 * Colloquial words, abbreviations and verb + object phrases replaced, before searching, by the word the
 * listings use (one way: the listing's word does not turn into the colloquial one).
 */
export const REWRITES: Readonly<Record<string, string>> = {
  // verb + object: the object is what is searched for
  开会: '会议',
  办活动: '活动',
  搞活动: '活动',
  打篮球: '篮球',
  踢足球: '足球',
  打羽毛球: '羽毛球',
  打乒乓球: '乒乓球',
  跳广场舞: '广场舞',
  做饭: '厨房',
  烧饭: '厨房',
  喝茶: '茶馆',
  看书: '阅读',
  拍照: '摄影',
  拍视频: '视频',
  剪头发: '理发',
  修家电: '家电维修',
  修电器: '家电维修',
  修自行车: '自行车修理',
  写作业: '作业',
  辅导作业: '作业辅导',
  补课: '课业辅导',
  找工作: '就业',
  打官司: '法律咨询',
  防骗: '反诈',
  防诈骗: '反诈',
  防电信诈骗: '电信诈骗',
  陪老人: '助老',
  用手机: '智能手机',
  // colloquial words
  讨薪: '劳动权益',
  欠薪: '劳动权益',
  拖欠工资: '劳动权益',
  带娃: '亲子',
  带孩子: '亲子',
  遛娃: '亲子',
  老外: '外籍',
  报税: '税务',
  养老: '助老',
  律师: '法律',
  // abbreviations
  法援: '法律援助',
  网安: '网络安全',
  ppt: '办公软件',
  excel: '办公软件',
  it: '办公软件',
  app: '智能手机',
}

/**
 * Words that only carry the asking ("I want to find", "where is", "nearby"), dropped from a query unless
 * that leaves nothing. Longest first is not needed: they are matched as whole dictionary words.
 */
export const FILLERS: readonly string[] = [
  '我想找',
  '我要找',
  '我想要',
  '我想学',
  '我要学',
  '我想',
  '我要',
  '想学',
  '想找',
  '想要',
  '找个',
  '找一个',
  '一个',
  '哪里有',
  '哪里能',
  '哪里可以',
  '哪儿有',
  '哪有',
  '有没有',
  '没有',
  '附近有没有',
  '附近有',
  '附近的',
  '附近',
  '请问',
  '怎么',
  '如何',
  '谁能',
  '帮忙',
  '帮我',
  '可以',
  '能不能',
  '免费的',
  '免费',
  '地方',
  '场地',
  '的',
  '给',
  '请',
  '在',
  '吗',
  '呢',
]

/**
 * Words people look for, besides those above: a query word that sounds like one of them (same pinyin) but
 * is not a word here is read as a typo of a pinyin input method (活东室 → 活动室).
 */
export const VOCABULARY: readonly string[] = [
  '会议室',
  '活动室',
  '多功能厅',
  '报告厅',
  '路演厅',
  '电脑教室',
  '屋顶花园',
  '职工书屋',
  '共享厨房',
  '茶馆',
  '法律咨询',
  '心理健康',
  '家庭教育',
  '课业辅导',
  '职业规划',
  '社工督导',
  '督导',
  '党史',
  '党建',
  '应急救护',
  '垃圾分类',
  '智能手机',
  '家电维修',
  '翻译',
  '摄影',
  '义剪',
  '志愿服务',
  '培训',
  '讲座',
  '宣讲',
  '工作坊',
  '创业',
  '电信诈骗',
  '网络安全',
  '助老',
  '陪伴',
  '亲子',
  '阅读',
  '篮球',
  '足球',
  '羽毛球',
  '乒乓球',
  '广场舞',
]
