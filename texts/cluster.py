"""Strings of training on a Dask cluster: the admin page's Cluster section and the errors a cluster job can end with."""

STRINGS: dict[str, dict[str, str]] = {
    "cluster.title": {"en": "Cluster", "ko": "클러스터"},
    "cluster.not_configured": {
        "en": "Training runs on this server. To spread it over other machines, set ANYML_DASK_SCHEDULER "
              "(see the README, \"Training on a cluster\").",
        "ko": "학습은 이 서버에서 실행됩니다. 다른 컴퓨터들에 나눠 맡기려면 ANYML_DASK_SCHEDULER를 설정하세요 "
              "(README의 클러스터 학습 안내 참고)."},
    "cluster.intro": {"en": "Training sends each model's folds to the cluster at {address}.",
                      "ko": "학습할 때 모델마다 폴드를 {address} 클러스터로 보내 계산합니다."},
    "cluster.workers": {"en": "Workers", "ko": "작업 컴퓨터"},
    "cluster.cores": {"en": "Cores", "ko": "코어"},
    "cluster.memory": {"en": "Memory", "ko": "메모리"},
    "cluster.tasks_running": {"en": "Fits running", "ko": "실행 중인 학습"},
    "cluster.col_worker": {"en": "Worker", "ko": "작업 컴퓨터"},
    "cluster.col_cores": {"en": "Cores", "ko": "코어"},
    "cluster.col_memory": {"en": "Memory used / limit", "ko": "사용 메모리 / 한도"},
    "cluster.col_tasks": {"en": "Fits running", "ko": "실행 중인 학습"},
    "cluster.dashboard": {"en": "Open the cluster's dashboard", "ko": "클러스터 대시보드 열기"},
    "cluster.no_dashboard": {"en": "The cluster shows no dashboard (install bokeh where the scheduler runs).",
                             "ko": "이 클러스터에는 대시보드가 없습니다 (스케줄러가 실행되는 곳에 bokeh를 설치하세요)."},
    "cluster.no_workers": {"en": "The cluster has no workers right now: trainings wait until one joins.",
                           "ko": "지금은 클러스터에 작업 컴퓨터가 없어 학습이 대기합니다. 작업 컴퓨터가 연결되면 시작됩니다."},
    "train.error.cluster_worker_lost": {
        "en": "A cluster worker stopped during training; try again. If it happens again, the data may be "
              "too large for one worker: ask the administrator.",
        "ko": "학습 중에 클러스터의 작업 컴퓨터가 멈췄습니다. 다시 시도해 보세요. 또 멈추면 데이터가 작업 컴퓨터 한 대에 "
              "너무 클 수 있으니 관리자에게 문의하세요."},
    "train.error.cluster_unreachable": {
        "en": "The training cluster at {address} cannot be reached; try again later or ask the administrator.",
        "ko": "학습 클러스터({address})에 연결할 수 없습니다. 잠시 후 다시 시도하거나 관리자에게 문의하세요."},
}
