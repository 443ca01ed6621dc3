<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_Hans" sourcelanguage="en">
<context>
    <name>ReturnVisit</name>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Draw passed patches not verified for that long, by township (sample_audit), to visit again; a rebuilt one fails as rebuilt at its next verify</source>
        <translation>按乡镇分层抽取超过该天数未再核查的已通过图斑（sample_audit），实地回头看；复建的图斑在下次核查时判为不通过（复建）</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Needs the campaign in the project's audit log.</source>
        <translation>需要先在本项目的审计日志中定义整改任务。</translation>
    </message>
    <message>
        <source>Passed patches last verified more than this many days ago</source>
        <translation>最近一次核查早于该天数的已通过图斑</translation>
    </message>
    <message>
        <source>Responsibilities (township, role, unit, person, phone)</source>
        <translation>责任表（乡镇、责任类型、单位、责任人、电话）</translation>
    </message>
    <message>
        <source>Responsibility list written: {path}</source>
        <translation>倒查责任清单已生成：{path}</translation>
    </message>
    <message>
        <source>Return visit sample</source>
        <translation>回头看抽样</translation>
    </message>
    <message>
        <source>Return visit sample ({n} patches, seed {seed})</source>
        <translation>回头看抽样（{n} 个图斑，种子 {seed}）</translation>
    </message>
    <message>
        <source>Return visit: {n} passed patches not verified for {days} days drawn (seed {seed}), recorded in the audit log.</source>
        <translation>回头看：已抽取 {n} 个超过 {days} 天未再核查的已通过图斑（种子 {seed}），已记入审计日志。</translation>
    </message>
    <message>
        <source>The responsibility list (demolitionverifier:accountability) is not installed in this version of the plugin.</source>
        <translation>本版插件尚未包含倒查责任清单算法（demolitionverifier:accountability）。</translation>
    </message>
    <message>
        <source>Trace responsibility</source>
        <translation>倒查责任</translation>
    </message>
    <message>
        <source>Trace responsibility…</source>
        <translation>倒查责任…</translation>
    </message>
    <message>
        <source>responsibility_list</source>
        <translation>倒查责任清单</translation>
    </message>
    <message>
        <source>{status} · rebuilt</source>
        <translation>{status} · 复建</translation>
    </message>
    <message>
        <source>The responsibility list: every task patch not passed, with the responsible units and persons from your table</source>
        <translation>倒查责任清单：逐个列出未通过的任务图斑，及责任表中的责任单位和责任人</translation>
    </message>
    <message>
        <source>Rebuilt</source>
        <translation>复建</translation>
    </message>
</context>
<context>
    <name>ProgressView</name>
    <message>
        <source>A township's table of applications (xlsx or csv, with the patch id column)</source>
        <translation>乡镇报送的申请验收表（xlsx 或 csv，含图斑编号列）</translation>
    </message>
    <message>
        <source>Accept by {when} ({left})</source>
        <translation>验收节点 {when}（{left}）</translation>
    </message>
    <message>
        <source>Applications for acceptance</source>
        <translation>申请验收表</translation>
    </message>
    <message>
        <source>Apply from a file…</source>
        <translation>从文件登记申请…</translation>
    </message>
    <message>
        <source>Applications recorded: {accepted} accepted, {refused} not accepted.</source>
        <translation>申请验收已登记：受理 {accepted} 个，未受理 {refused} 个。</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>已申请</translation>
    </message>
    <message>
        <source>Apply (selected)</source>
        <translation>所选图斑申请验收</translation>
    </message>
    <message>
        <source>As of {time}, compared with {before}</source>
        <translation>截至 {time}，较上期时点 {before}</translation>
    </message>
    <message>
        <source>Bulletin written: {path} (log head {head}).</source>
        <translation>进度通报已生成：{path}（审计链头 {head}）。</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>较上期</translation>
    </message>
    <message>
        <source>County: {passed} of {patches} patches passed, {done} by area; {new} newly passed; {pending} waiting for checking.</source>
        <translation>全县：{patches} 个任务图斑中通过 {passed} 个，面积完成率 {done}；本期新增完成 {new} 个；待核查 {pending} 个。</translation>
    </message>
    <message>
        <source>Define the campaign…</source>
        <translation>定义整改任务…</translation>
    </message>
    <message>
        <source>Done (mu)</source>
        <translation>完成面积(亩)</translation>
    </message>
    <message>
        <source>Done by area</source>
        <translation>面积完成率</translation>
    </message>
    <message>
        <source>Done by count</source>
        <translation>图斑完成率</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>不通过</translation>
    </message>
    <message>
        <source>Issue bulletin</source>
        <translation>生成通报</translation>
    </message>
    <message>
        <source>Issue bulletin…</source>
        <translation>生成通报…</translation>
    </message>
    <message>
        <source>New (mu)</source>
        <translation>新增(亩)</translation>
    </message>
    <message>
        <source>New (patches)</source>
        <translation>新增(斑)</translation>
    </message>
    <message>
        <source>No audit log yet: verify once, then define the campaign in it.</source>
        <translation>尚无审计日志：先核查一次，再在日志中定义整改任务。</translation>
    </message>
    <message>
        <source>No chart: matplotlib is not installed in QGIS's Python.</source>
        <translation>无图表：QGIS 的 Python 未安装 matplotlib。</translation>
    </message>
    <message>
        <source>Not done: {errors}</source>
        <translation>未完成：{errors}</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待核查</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>Record an application for acceptance of the patches selected in the table, now</source>
        <translation>为表中所选图斑登记申请验收（申请时间为现在）</translation>
    </message>
    <message>
        <source>Rectify by {when} ({left})</source>
        <translation>整改节点 {when}（{left}）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Select the patches that apply for acceptance in the table first.</source>
        <translation>请先在表中选择申请验收的图斑。</translation>
    </message>
    <message>
        <source>Tables (*.xlsx *.csv)</source>
        <translation>表格 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Target {share}: {gap} mu to go.</source>
        <translation>目标 {share}：尚差 {gap} 亩。</translation>
    </message>
    <message>
        <source>Task (mu)</source>
        <translation>任务面积(亩)</translation>
    </message>
    <message>
        <source>Task list, deadlines and target, in this project's audit log (demolitionverifier:campaign)</source>
        <translation>在本项目的审计日志中定义任务清单、整改与验收节点及目标（demolitionverifier:campaign）</translation>
    </message>
    <message>
        <source>Task patches</source>
        <translation>任务图斑</translation>
    </message>
    <message>
        <source>The bulletin's chart, as Issue bulletin prints it in the PDF</source>
        <translation>进度通报的图表，生成通报时印在 PDF 上</translation>
    </message>
    <message>
        <source>The progress bulletin as of now: a one-page PDF and its workbook, recorded in the audit log</source>
        <translation>截至现在的进度通报：一页 PDF 及其 Excel 表，记入审计日志</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Unchecked</source>
        <translation>未核查/未申请</translation>
    </message>
    <message>
        <source>applications (selected patches)</source>
        <translation>申请验收（所选图斑）</translation>
    </message>
    <message>
        <source>due today</source>
        <translation>今日截止</translation>
    </message>
    <message>
        <source>progress_bulletin</source>
        <translation>进度通报</translation>
    </message>
    <message>
        <source>unknown error (see the message log)</source>
        <translation>未知错误（见日志消息面板）</translation>
    </message>
    <message>
        <source>{days} days left</source>
        <translation>剩 {days} 天</translation>
    </message>
    <message>
        <source>{days} days over</source>
        <translation>已过 {days} 天</translation>
    </message>
</context>
<context>
    <name>FarmlandDetail</name>
    <message>
        <source>Farmland area</source>
        <translation>耕地面积</translation>
    </message>
    <message>
        <source>Farmland remaining</source>
        <translation>剩余耕地面积</translation>
    </message>
    <message>
        <source>Basic farmland area</source>
        <translation>永久基本农田面积</translation>
    </message>
    <message>
        <source>Basic farmland remaining</source>
        <translation>剩余永久基本农田面积</translation>
    </message>
    <message>
        <source>Legalised area</source>
        <translation>已补办面积</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>整改方式</translation>
    </message>
</context>
<context>
    <name>FarmlandColumns</name>
    <message>
        <source>Farmland (mu)</source>
        <translation>耕地面积(亩)</translation>
    </message>
    <message>
        <source>Farmland left (mu)</source>
        <translation>剩余耕地面积(亩)</translation>
    </message>
    <message>
        <source>Basic farmland (mu)</source>
        <translation>永久基本农田面积(亩)</translation>
    </message>
    <message>
        <source>Basic farmland left (mu)</source>
        <translation>剩余永久基本农田面积(亩)</translation>
    </message>
    <message>
        <source>Legalised (mu)</source>
        <translation>已补办面积(亩)</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>整改方式</translation>
    </message>
</context>
<context>
    <name>FarmlandInputs</name>
    <message>
        <source>Farmland and approvals (optional)</source>
        <translation>耕地与用地批文（可选）</translation>
    </message>
    <message>
        <source>Land classes (e.g. DLTB)</source>
        <translation>地类图斑（如 DLTB）</translation>
    </message>
    <message>
        <source>Class code field</source>
        <translation>地类编码字段</translation>
    </message>
    <message>
        <source>Permanent basic farmland</source>
        <translation>永久基本农田</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>用地批准范围</translation>
    </message>
    <message>
        <source>Approval id field</source>
        <translation>批准文号字段</translation>
    </message>
    <message>
        <source>Land-use survey polygons (三调 地类图斑): the farmland area of each patch and what remains on it</source>
        <translation>三调地类图斑：计算每个图斑的耕地面积及其上剩余面积</translation>
    </message>
    <message>
        <source>Permanent basic farmland: a remainder on it fails the patch, whatever the approvals</source>
        <translation>永久基本农田：其上有剩余即不通过，任何批文都不能补办</translation>
    </message>
    <message>
        <source>Approved land (用地审批, 补办, 临时用地): a remainder inside is legalised (补办)</source>
        <translation>用地批准范围（用地审批、补办、临时用地）：范围内的剩余部分视为已补办</translation>
    </message>
    <message>
        <source>Farmland and approvals: {n} layers chosen</source>
        <translation>耕地与用地批文：已选 {n} 个图层</translation>
    </message>
</context>
<context>
    <name>DemolitionVerifierPlugin</name>
    <message>
        <source>Demolition Verifier</source>
        <translation>拆除核查</translation>
    </message>
    <message>
        <source>Demolition verification panel</source>
        <translation>拆除核查面板</translation>
    </message>
    <message>
        <source>Open the demolition verification panel</source>
        <translation>打开拆除核查面板</translation>
    </message>
    <message>
        <source>Verify algorithm (Processing dialog)…</source>
        <translation>核查算法（处理工具对话框）…</translation>
    </message>
</context>
<context>
    <name>InputsPanel</name>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>The unit of the monitored area field (1 mu = 666.67 m², 1 ha = 15 mu)</source>
        <translation>监测面积字段的单位（1 亩 = 666.67 平方米，1 公顷 = 15 亩）</translation>
    </message>
    <message>
        <source>Patches</source>
        <translation>督察图斑</translation>
    </message>
    <message>
        <source>Patch id</source>
        <translation>图斑编号</translation>
    </message>
    <message>
        <source>Monitored area</source>
        <translation>监测面积</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Survey (what still stands)</source>
        <translation>现状调查（拆除后仍存在）</translation>
    </message>
    <message>
        <source>Surveyed extent (optional)</source>
        <translation>调查范围（可选）</translation>
    </message>
    <message>
        <source>Your name, for the audit log</source>
        <translation>您的姓名，写入审计日志</translation>
    </message>
    <message>
        <source>Verifier</source>
        <translation>核查人</translation>
    </message>
    <message>
        <source>The supervision patches (polygons)</source>
        <translation>督察图斑（面图层）</translation>
    </message>
    <message>
        <source>Polygons of what still stands after demolition</source>
        <translation>拆除后仍存在的建构筑物（面图层）</translation>
    </message>
    <message>
        <source>Where the survey was done; a patch covered less than 99 % is unsurveyed</source>
        <translation>实际调查的范围；被覆盖不足 99% 的图斑为未核查</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>核查规则</translation>
    </message>
    <message>
        <source>Remaining area / monitored area tolerated; 0 is the rule, more is a local policy choice</source>
        <translation>允许的剩余面积占监测面积的比例；按要求为 0，放宽属于地方政策选择</translation>
    </message>
    <message>
        <source>Survey noise ignored (a digitizing error), not a policy allowance</source>
        <translation>忽略的测量误差（数字化误差），不是政策宽限</translation>
    </message>
    <message>
        <source>A remaining part this large is a kept main building; 0 turns the check off</source>
        <translation>残留部分达到此面积即视为保留主体建筑（拆次留主）；0 为不检查</translation>
    </message>
    <message>
        <source>Ellipsoidal (CGCS2000)</source>
        <translation>椭球面积（CGCS2000）</translation>
    </message>
    <message>
        <source>Planar (patch layer CRS)</source>
        <translation>平面面积（图斑图层坐标系）</translation>
    </message>
    <message>
        <source>Max remaining ratio</source>
        <translation>允许剩余比例</translation>
    </message>
    <message>
        <source>Area tolerance (m²)</source>
        <translation>面积容差（平方米）</translation>
    </message>
    <message>
        <source>Main structure area (m²)</source>
        <translation>主体建筑面积（平方米）</translation>
    </message>
    <message>
        <source>Area method</source>
        <translation>面积算法</translation>
    </message>
    <message>
        <source>m²</source>
        <translation>平方米</translation>
    </message>
    <message>
        <source>mu</source>
        <translation>亩</translation>
    </message>
    <message>
        <source>ha</source>
        <translation>公顷</translation>
    </message>
</context>
<context>
    <name>PatchDetail</name>
    <message>
        <source>Patch</source>
        <translation>图斑</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>核查结果</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Monitored area</source>
        <translation>监测面积</translation>
    </message>
    <message>
        <source>Patch area</source>
        <translation>图斑面积</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>剩余面积</translation>
    </message>
    <message>
        <source>Largest piece</source>
        <translation>最大残留</translation>
    </message>
    <message>
        <source>Checked at</source>
        <translation>核查时间</translation>
    </message>
    <message>
        <source>Piece</source>
        <translation>残留块</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（平方米）</translation>
    </message>
    <message>
        <source>{mu} mu ({m2} m²)</source>
        <translation>{mu} 亩（{m2} 平方米）</translation>
    </message>
    <message>
        <source>{m2} m²</source>
        <translation>{m2} 平方米</translation>
    </message>
    <message>
        <source>{m2} m² ({ratio} of the monitored area) in {n} pieces</source>
        <translation>{m2} 平方米（占监测面积 {ratio}），共 {n} 块</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因说明</translation>
    </message>
    <message>
        <source>Review note</source>
        <translation>复核说明</translation>
    </message>
</context>
<context>
    <name>ResultLayers</name>
    <message>
        <source>Verification result</source>
        <translation>核查结果</translation>
    </message>
    <message>
        <source>Remnants</source>
        <translation>残留部分</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>disputed</source>
        <translation>存疑</translation>
    </message>
    <message>
        <source>upheld</source>
        <translation>维持</translation>
    </message>
    <message>
        <source>overturned</source>
        <translation>改判</translation>
    </message>
    <message>
        <source>re-opened</source>
        <translation>重新存疑</translation>
    </message>
    <message>
        <source>Patch id</source>
        <translation>图斑编号</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>核查结果</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Monitored (mu)</source>
        <translation>监测面积(亩)</translation>
    </message>
    <message>
        <source>Monitored (m²)</source>
        <translation>监测面积(m²)</translation>
    </message>
    <message>
        <source>Remaining (m²)</source>
        <translation>剩余面积(m²)</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>剩余比例</translation>
    </message>
    <message>
        <source>Dispute</source>
        <translation>争议</translation>
    </message>
    <message>
        <source> (computed: {status})</source>
        <translation>（计算结果：{status}）</translation>
    </message>
    <message>
        <source>computed: {reasons}</source>
        <translation>原计算：{reasons}</translation>
    </message>
    <message>
        <source>Out of date: the survey changed here since this check. Re-check the patch.</source>
        <translation>结果已过期：核查后此处的调查数据有改动，请重新核查本图斑。</translation>
    </message>
    <message>
        <source>Checked against survey edits that are not saved yet: save them before exporting.</source>
        <translation>本结果对照的是尚未保存的调查编辑：导出前请先保存。</translation>
    </message>
</context>
<context>
    <name>Styles</name>
    <message>
        <source>Pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不通过</translation>
    </message>
    <message>
        <source>Unsurveyed</source>
        <translation>未核查</translation>
    </message>
    <message>
        <source>Disputed</source>
        <translation>存疑</translation>
    </message>
    <message>
        <source>Re-opened</source>
        <translation>重新存疑</translation>
    </message>
    <message>
        <source>Overturned (filled with the final result)</source>
        <translation>改判（按改判结果着色）</translation>
    </message>
    <message>
        <source>Upheld</source>
        <translation>维持</translation>
    </message>
</context>
<context>
    <name>VerifierDock</name>
    <message>
        <source>Demolition verification</source>
        <translation>拆除核查</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>核查</translation>
    </message>
    <message>
        <source>Verify every patch in the background</source>
        <translation>在后台核查全部图斑</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Patch detail</source>
        <translation>图斑详情</translation>
    </message>
    <message>
        <source>All results</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <source>Find patch id</source>
        <translation>查找图斑编号</translation>
    </message>
    <message>
        <source>Re-check selected patches</source>
        <translation>核查选中图斑</translation>
    </message>
    <message>
        <source>Verify the selected patches again against the survey layer as it is now, unsaved edits included</source>
        <translation>按调查图层当前的内容（包括未保存的编辑）重新核查选中的图斑</translation>
    </message>
    <message>
        <source>Disputes and history…</source>
        <translation>争议与历史…</translation>
    </message>
    <message>
        <source>All townships</source>
        <translation>全部乡镇</translation>
    </message>
    <message>
        <source>Choose the patch layer.</source>
        <translation>请选择督察图斑图层。</translation>
    </message>
    <message>
        <source>Choose the field that holds the patch id (e.g. JCBH).</source>
        <translation>请选择图斑编号字段（如 JCBH）。</translation>
    </message>
    <message>
        <source>Choose the survey layer (what still stands after demolition).</source>
        <translation>请选择现状调查图层（拆除后仍存在的建构筑物）。</translation>
    </message>
    <message>
        <source>The survey layer cannot be the patch layer itself.</source>
        <translation>调查图层不能是图斑图层本身。</translation>
    </message>
    <message>
        <source>No result yet: choose the layers and press Verify.</source>
        <translation>尚无结果：请选择图层后点击“核查”。</translation>
    </message>
    <message>
        <source>{total} patches, {shown} shown</source>
        <translation>共 {total} 个图斑，显示 {shown} 个</translation>
    </message>
    <message>
        <source>The verify algorithm is not available; is the plugin's Processing provider loaded?</source>
        <translation>核查算法不可用：插件的处理工具提供程序是否已加载？</translation>
    </message>
    <message>
        <source>{n} patches verified: {passed} pass, {failed} fail, {unsurveyed} unsurveyed.</source>
        <translation>已核查 {n} 个图斑：通过 {passed}，不通过 {failed}，未核查 {unsurveyed}。</translation>
    </message>
    <message>
        <source>Select the patches to re-check in the table or on the map first.</source>
        <translation>请先在表格或地图上选择要重新核查的图斑。</translation>
    </message>
    <message>
        <source>The survey layer of this result is no longer in the project; run Verify again.</source>
        <translation>该结果所用的调查图层已不在工程中，请重新核查。</translation>
    </message>
    <message>
        <source>Re-checked {n} patches.</source>
        <translation>已重新核查 {n} 个图斑。</translation>
    </message>
    <message>
        <source>No result changed.</source>
        <translation>核查结果均未变化。</translation>
    </message>
    <message>
        <source>Click a patch in the table first.</source>
        <translation>请先在表格中点击一个图斑。</translation>
    </message>
    <message>
        <source>(no township)</source>
        <translation>（未填乡镇）</translation>
    </message>
    <message>
        <source>Verification cancelled; the previous results are unchanged.</source>
        <translation>核查已取消，原有结果未改变。</translation>
    </message>
    <message>
        <source>unknown error (see the message log)</source>
        <translation>未知错误（详见日志消息面板）</translation>
    </message>
    <message>
        <source>Audit log: {path} (head {head}).</source>
        <translation>审计日志：{path}（链头 {head}）。</translation>
    </message>
    <message>
        <source>Changed: {changes}</source>
        <translation>变化：{changes}</translation>
    </message>
    <message>
        <source>Verification failed: {errors}</source>
        <translation>核查未完成：{errors}</translation>
    </message>
    <message>
        <source>The re-check was not written to the audit log: {error}</source>
        <translation>重新核查的结果未能写入审计日志：{error}</translation>
    </message>
    <message>
        <source>Export maps…</source>
        <translation>导出验收图…</translation>
    </message>
    <message>
        <source>One verification map page per patch of the last result, as a PDF</source>
        <translation>按最近一次核查结果，每个图斑一页验收图，导出为 PDF</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>导出报表…</translation>
    </message>
    <message>
        <source>The last result as the bureau's Excel report</source>
        <translation>将最近一次核查结果导出为 Excel 报表</translation>
    </message>
    <message>
        <source>verification_maps</source>
        <translation>验收图</translation>
    </message>
    <message>
        <source>verification_report</source>
        <translation>核查报表</translation>
    </message>
    <message>
        <source>Verification maps written: {pages} pages, {path}</source>
        <translation>验收图已导出：共 {pages} 页，{path}</translation>
    </message>
    <message>
        <source>Report written: {patches} patches, {path}</source>
        <translation>报表已导出：共 {patches} 个图斑，{path}</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>导出已取消，未写出文件。</translation>
    </message>
    <message>
        <source>Export failed: {errors}</source>
        <translation>导出失败：{errors}</translation>
    </message>
    <message>
        <source>Audit log head printed: {head}.</source>
        <translation>已印出审计链头哈希：{head}。</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>The audit log could not be carried beside the project: {error}</source>
        <translation>审计日志未能随项目移到项目文件旁：{error}</translation>
    </message>
    <message>
        <source>The audit log now lies beside the project: {path} (all entries carried over).</source>
        <translation>审计日志现位于项目文件旁：{path}（全部记录已带过去）。</translation>
    </message>
    <message>
        <source>A different audit log already lies at {other}; this project's entries were carried to {path} instead, which it keeps as its log.</source>
        <translation>{other} 处已有另一份审计日志；本项目的记录已转存到 {path}，此后作为本项目的审计日志。</translation>
    </message>
    <message>
        <source>Audit log: {path}</source>
        <translation>审计日志：{path}</translation>
    </message>
    <message>
        <source>Audit log (created by the first run): {path}</source>
        <translation>审计日志（首次核查时创建）：{path}</translation>
    </message>
    <message>
        <source>Export refused: this result was recorded in the audit log {path}, which cannot be found. Without it the marks and the head hash would be missing from the file. Put the log back, or run Verify again.</source>
        <translation>拒绝导出：本次结果记录在审计日志 {path} 中，但找不到该文件。没有它，导出文件将缺少复核标记和链头哈希。请把日志放回原处，或重新核查。</translation>
    </message>
    <message>
        <source>Written WITHOUT the audit log's head hash and marks: the log {path} does not hold this result's run. See the message log.</source>
        <translation>已写出，但【不含】审计链头哈希和复核标记：审计日志 {path} 中没有本次结果的核查运行。详见日志面板。</translation>
    </message>
    <message>
        <source>m²</source>
        <translation>平方米</translation>
    </message>
    <message>
        <source>mu</source>
        <translation>亩</translation>
    </message>
    <message>
        <source>ha</source>
        <translation>公顷</translation>
    </message>
    <message>
        <source>The monitored areas in “{field}” do not look like {given}: of {checked} patches, {fits_best} agree with their own area in {best}, {fits_given} in {given}.</source>
        <translation>监测面积字段“{field}”的数值看起来不是以{given}为单位：{checked} 个图斑中，按{best}计有 {fits_best} 个与图斑自身面积相符，按{given}计只有 {fits_given} 个。</translation>
    </message>
    <message>
        <source>A run in {given} changes every figure and re-opens {n} decided disputes ({examples}).</source>
        <translation>按{given}核查会改变所有面积数字，并重新打开 {n} 个已有定论的争议（{examples}）。</translation>
    </message>
    <message>
        <source>Monitored area unit</source>
        <translation>监测面积单位</translation>
    </message>
    <message>
        <source>Verify in {unit}</source>
        <translation>按{unit}核查</translation>
    </message>
    <message>
        <source>Keep {unit} and re-open them</source>
        <translation>仍按{unit}核查并重新打开争议</translation>
    </message>
    <message>
        <source>Keep {unit}</source>
        <translation>仍按{unit}核查</translation>
    </message>
    <message>
        <source>Export refused: {n} patches were checked against survey edits that are not saved, or their survey changed since their check ({examples}). Save the survey layer's edits and re-check them first.</source>
        <translation>拒绝导出：{n} 个图斑是对照尚未保存的调查编辑核查的，或其调查数据在核查后又被修改（{examples}）。请先保存调查图层的编辑并重新核查这些图斑。</translation>
    </message>
    <message>
        <source>{n} out of date: re-check them</source>
        <translation>{n} 个结果已过期：请重新核查</translation>
    </message>
    <message>
        <source>Townships</source>
        <translation>乡镇汇总</translation>
    </message>
    <message>
        <source>Save results…</source>
        <translation>保存结果…</translation>
    </message>
    <message>
        <source>Save the result and remnant layers to a GeoPackage (beside the project) so they are kept</source>
        <translation>将核查结果与残留部分图层保存为 GeoPackage 文件（默认在项目旁），以免丢失</translation>
    </message>
    <message>
        <source>Result layers: temporary (lost when QGIS closes) until saved.</source>
        <translation>结果图层：临时图层（关闭 QGIS 即丢失），尚未保存。</translation>
    </message>
    <message>
        <source>Result layers: {path}</source>
        <translation>结果图层：{path}</translation>
    </message>
    <message>
        <source>Save or discard the edits of {layer} first.</source>
        <translation>请先保存或放弃图层“{layer}”的编辑。</translation>
    </message>
    <message>
        <source>Result layers saved to {path}; save the project to keep them in it.</source>
        <translation>结果图层已保存到 {path}；请保存项目，以便下次打开时仍可使用。</translation>
    </message>
    <message>
        <source>The result layers are temporary: the project keeps them only once they are saved.</source>
        <translation>结果图层是临时图层：保存后项目才能保留它们。</translation>
    </message>
    <message>
        <source>A farmland layer of this result is no longer in the project; run Verify again.</source>
        <translation>该结果所用的耕地或批文图层已不在项目中，请重新核查。</translation>
    </message>
</context>
<context>
    <name>Exports</name>
    <message>
        <source>The algorithm {name} is not available; is the plugin's Processing provider loaded?</source>
        <translation>算法 {name} 不可用；插件的处理工具提供程序是否已加载？</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报表</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export verification maps</source>
        <translation>导出验收图</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>A raster under the map, e.g. the post-demolition orthophoto</source>
        <translation>地图下方的栅格底图，例如拆除后的正射影像</translation>
    </message>
    <message>
        <source>All patches</source>
        <translation>全部图斑</translation>
    </message>
    <message>
        <source>Only failed patches</source>
        <translation>仅不通过的图斑</translation>
    </message>
    <message>
        <source>Only passed patches</source>
        <translation>仅通过的图斑</translation>
    </message>
    <message>
        <source>Only unsurveyed patches</source>
        <translation>仅未核查的图斑</translation>
    </message>
    <message>
        <source>All townships</source>
        <translation>全部乡镇</translation>
    </message>
    <message>
        <source>(no township)</source>
        <translation>（未填乡镇）</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <source>Basemap (optional)</source>
        <translation>底图（可选）</translation>
    </message>
    <message>
        <source>Patches</source>
        <translation>图斑</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Photos (optional)</source>
        <translation>现场照片（可选）</translation>
    </message>
    <message>
        <source>Field photos: a point layer with a “photo” field (Processing → Import geotagged photos); up to two photos inside or near each patch are printed on its page</source>
        <translation>现场照片：含“photo”字段的点图层（处理工具 → 导入带地理标记的照片）；每页印出图斑内或附近的至多两张照片</translation>
    </message>
    <message>
        <source>Before demolition (optional)</source>
        <translation>拆除前影像（可选）</translation>
    </message>
    <message>
        <source>The pre-demolition imagery: given, each page shows it beside the basemap, before and after</source>
        <translation>拆除前影像：选择后，每页将其与底图（拆除后）并排显示</translation>
    </message>
</context>
<context>
    <name>Townships</name>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Patches</source>
        <translation>图斑数</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不通过</translation>
    </message>
    <message>
        <source>Unsurveyed</source>
        <translation>未核查</translation>
    </message>
    <message>
        <source>Monitored (mu)</source>
        <translation>监测面积(亩)</translation>
    </message>
    <message>
        <source>Passed (mu)</source>
        <translation>通过面积(亩)</translation>
    </message>
    <message>
        <source>Done by area</source>
        <translation>面积完成率</translation>
    </message>
    <message>
        <source>Done by count</source>
        <translation>数量完成率</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
</context>
<context>
    <name>ResultFiles</name>
    <message>
        <source>verification_results</source>
        <translation>核查结果</translation>
    </message>
    <message>
        <source>Save result layers</source>
        <translation>保存结果图层</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
</context>
<context>
    <name>DisputeDialog</name>
    <message>
        <source>verified</source>
        <translation>核查</translation>
    </message>
    <message>
        <source>remaining {area} m²</source>
        <translation>剩余 {area} m²</translation>
    </message>
    <message>
        <source>spot-check</source>
        <translation>抽查</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <source>Patch {patch} · disputes</source>
        <translation>图斑 {patch} · 存疑与改判</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行编号</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Why (required)</source>
        <translation>说明理由（必填）</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Mark</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>New status</source>
        <translation>改判为</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The audit log “{path}” holds no decision for patch {patch}: run verify with the audit log first.</source>
        <translation>审计日志“{path}”中没有图斑 {patch} 的核查记录：请先带审计日志运行核查。</translation>
    </message>
    <message>
        <source>Computed: {status}</source>
        <translation>核查结果：{status}</translation>
    </message>
    <message>
        <source>; final: {status}</source>
        <translation>；最终结果：{status}</translation>
    </message>
    <message>
        <source>; dispute: {state}</source>
        <translation>；争议状态：{state}</translation>
    </message>
</context>
</TS>
