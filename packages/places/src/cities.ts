/**
 * The cities the header's switcher offers: the municipalities, then provincial capitals and the other
 * large cities, by GB/T 2260 code. Kept apart from the full gazetteer so every page can load it cheaply;
 * a test checks each entry against the gazetteer.
 */
export interface CityChoice {
  code: string
  /** The name as listings and search spell it (no suffix 市). */
  name: string
}

export const CITY_CHOICES: readonly CityChoice[] = [
  { code: '310100', name: '上海' },
  { code: '110100', name: '北京' },
  { code: '440300', name: '深圳' },
  { code: '500100', name: '重庆' },
  { code: '440100', name: '广州' },
  { code: '120100', name: '天津' },
  { code: '510100', name: '成都' },
  { code: '330100', name: '杭州' },
  { code: '420100', name: '武汉' },
  { code: '320100', name: '南京' },
  { code: '610100', name: '西安' },
  { code: '320500', name: '苏州' },
  { code: '430100', name: '长沙' },
  { code: '410100', name: '郑州' },
  { code: '370200', name: '青岛' },
  { code: '370100', name: '济南' },
  { code: '330200', name: '宁波' },
  { code: '350200', name: '厦门' },
  { code: '350100', name: '福州' },
  { code: '340100', name: '合肥' },
  { code: '210100', name: '沈阳' },
  { code: '210200', name: '大连' },
  { code: '220100', name: '长春' },
  { code: '230100', name: '哈尔滨' },
  { code: '130100', name: '石家庄' },
  { code: '140100', name: '太原' },
  { code: '150100', name: '呼和浩特' },
  { code: '360100', name: '南昌' },
  { code: '450100', name: '南宁' },
  { code: '460100', name: '海口' },
  { code: '520100', name: '贵阳' },
  { code: '530100', name: '昆明' },
  { code: '540100', name: '拉萨' },
  { code: '620100', name: '兰州' },
  { code: '630100', name: '西宁' },
  { code: '640100', name: '银川' },
  { code: '650100', name: '乌鲁木齐' },
]

/** The city search and the home page use until someone picks one. */
export const DEFAULT_CITY = '上海'
